using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Persistence;
using EvoCode.Evolver.Search;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Evolver.Engine;

/// <summary>
/// What a resumed run's islands remember besides their elites, rebuilt from the store: the grid fitted around the
/// seed, each island's population (its latest correct programs), and the clocks of neutral moves and stagnation
/// (restarted at the resume, so a resume never triggers a restart or a neutral move by itself).
/// </summary>
internal static class IslandMemory
{
    public static async Task RestoreAsync(RunState state, EvoCodeDbContext db, CancellationToken cancellationToken)
    {
        var runId = state.RunId;
        var seed = await db.Candidates.AsNoTracking()
            .Where(c => c.RunId == runId && c.Sequence == 1 && c.State == CandidateState.Evaluated && c.Correct == true)
            .Select(c => c.Features)
            .SingleOrDefaultAsync(cancellationToken);
        if (seed is not null)
        {
            state.FitGrid(1, seed);
        }

        var evaluations = state.Run.Evaluations;
        foreach (var island in state.Islands)
        {
            island.MarkPlaced(evaluations);
            island.BestImprovedAt = evaluations;
        }

        var size = state.Settings.PopulationSize;
        if (size <= 0)
        {
            return;
        }

        for (var i = 0; i < state.Islands.Length; i++)
        {
            var island = i;
            var recent = await db.Candidates.AsNoTracking()
                .Where(c => c.RunId == runId && c.Island == island && c.Correct == true && c.CellKey != null && c.Score != null)
                .OrderByDescending(c => c.Sequence)
                .Take(size)
                .Select(c => new { c.Id, c.CellKey, c.Score, c.CodeHash, c.Generation })
                .ToListAsync(cancellationToken);
            foreach (var c in Enumerable.Reverse(recent))
            {
                state.Islands[island].Remember(new Elite(c.Id, island, c.CellKey!, c.Score!.Value, c.CodeHash, c.Generation));
            }
        }
    }
}
