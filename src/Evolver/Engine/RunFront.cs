using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Persistence;
using EvoCode.Evolver.Search;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Evolver.Engine;

/// <summary>A program of a run's front: where it lives and its value on each objective (as measured, not oriented).</summary>
public sealed record FrontProgram(Guid Id, long Sequence, int Island, string? CellKey, IReadOnlyList<double> Values);

/// <summary>A run's objectives and the programs of its front, in sequence order.</summary>
public sealed record RunFrontView(IReadOnlyList<Objective> Objectives, IReadOnlyList<FrontProgram> Programs);

/// <summary>A stored member of a cell's front with what its program's row says of it.</summary>
internal sealed record StoredFrontMember(Guid Id, long Sequence, int Island, string CellKey, double? Score, Dictionary<string, double> Metrics, string CodeHash, int Generation);

/// <summary>
/// The run's front over all cells and islands (ADR-024): the members of the stored cell fronts that no other member
/// dominates. A run without objectives has the one objective "score" and its front is its best program.
/// </summary>
public static class RunFront
{
    /// <summary>The stored members of every cell front of <paramref name="runId"/>, in sequence order (the API's front and a resume read the same rows).</summary>
    internal static IQueryable<StoredFrontMember> StoredMembers(EvoCodeDbContext db, Guid runId) =>
        from m in db.FrontMembers.AsNoTracking()
        join c in db.Candidates.AsNoTracking() on m.CandidateId equals c.Id
        where m.RunId == runId
        orderby c.Sequence
        select new StoredFrontMember(c.Id, c.Sequence, m.Island, m.CellKey, c.Score, c.Metrics, c.CodeHash, c.Generation);

    public static async Task<RunFrontView> ReadAsync(EvoCodeDbContext db, Run run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(run);
        if (run.Settings.Objectives is not { Count: > 0 } objectives)
        {
            var best = run.BestCandidateId is { } bestId
                ? await db.Candidates.AsNoTracking().Where(c => c.Id == bestId).Select(c => new { c.Id, c.Sequence, c.Island, c.CellKey, c.Score }).SingleOrDefaultAsync(cancellationToken)
                : null;
            return new RunFrontView(
                [new Objective(Objective.Score, Objective.Maximize)],
                best?.Score is { } score ? [new FrontProgram(best.Id, best.Sequence, best.Island, best.CellKey, [score])] : []);
        }

        var members = await StoredMembers(db, run.Id).ToListAsync(cancellationToken);
        var measured = members
            .Select(m => (Member: m, Oriented: ObjectiveValues.Oriented(objectives, m.Score, m.Metrics)))
            .Where(m => m.Oriented is not null)
            .ToList();
        var front = Pareto.NonDominated([.. measured.Select(m => (IReadOnlyList<double>)m.Oriented!)]);
        return new RunFrontView(objectives, [.. front.Select(i => measured[i].Member).Select(m =>
            new FrontProgram(m.Id, m.Sequence, m.Island, m.CellKey, [.. objectives.Select(o => ObjectiveValues.Value(o, m.Score, m.Metrics)!.Value)]))]);
    }
}
