using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Persistence;
using EvoCode.Evolver.Search;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Evolver.Engine;

/// <summary>
/// The cells' fronts of a run with several objectives (ADR-024): a correct program is offered to its cell's front
/// in memory under the run's lock, the change is written in the same transaction as the program's commit (a row per
/// member in <c>front_members</c>), and memory follows once the store took it. A resume reads the rows back, so it
/// rebuilds the same fronts. A run without objectives never touches any of this.
/// </summary>
internal static class FrontPlacement
{
    /// <summary>Under the lock: what offering the program to its cell's front would do; <c>null</c> for a scalar run or a program without every objective.</summary>
    public static FrontChange? Plan(RunState state, Candidate row, string cellKey)
    {
        if (state.Settings.Objectives is not { Count: > 0 } objectives || row.Score is not { } score
            || ObjectiveValues.Oriented(objectives, score, row.Metrics) is not { } values)
        {
            return null;
        }

        var program = new Elite(row.Id, row.Island, cellKey, score, row.CodeHash, row.Generation);
        return state.Islands[row.Island].Fronts.Plan(cellKey, new FrontPoint(program, row.Sequence, values), state.Settings.FrontSize);
    }

    /// <summary>Writes a planned change into the caller's unit of work (saved with it).</summary>
    public static async Task StoreAsync(EvoCodeDbContext db, Guid runId, FrontChange? change, CancellationToken cancellationToken)
    {
        if (change is not { Enters: true })
        {
            return;
        }

        var leaving = change.Leaving.Select(m => m.Program.Id).ToList();
        if (leaving.Count > 0)
        {
            await db.FrontMembers.Where(m => m.RunId == runId && leaving.Contains(m.CandidateId)).ExecuteDeleteAsync(cancellationToken);
        }

        db.FrontMembers.Add(new FrontMember { RunId = runId, CandidateId = change.Newcomer.Program.Id, Island = change.Newcomer.Program.Island, CellKey = change.CellKey });
    }

    /// <summary>After the commit: memory follows the store.</summary>
    public static void Apply(RunState state, FrontChange? change)
    {
        if (change is not null)
        {
            state.Islands[change.Newcomer.Program.Island].Fronts.Apply(change);
        }
    }

    /// <summary>On load: the stored fronts back into the islands.</summary>
    public static async Task RestoreAsync(RunState state, EvoCodeDbContext db, CancellationToken cancellationToken)
    {
        if (state.Settings.Objectives is not { Count: > 0 } objectives)
        {
            return;
        }

        var members = await RunFront.StoredMembers(db, state.RunId).ToListAsync(cancellationToken);
        foreach (var m in members.Where(m => m.Island < state.Islands.Length && m.Score is not null))
        {
            if (ObjectiveValues.Oriented(objectives, m.Score, m.Metrics) is { } values)
            {
                var program = new Elite(m.Id, m.Island, m.CellKey, m.Score!.Value, m.CodeHash, m.Generation);
                state.Islands[m.Island].Fronts.Restore(m.CellKey, new FrontPoint(program, m.Sequence, values));
            }
        }
    }
}
