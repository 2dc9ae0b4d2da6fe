using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Persistence;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Evolver.Engine;

/// <summary>
/// FunSearch's reset of stagnant islands: an island whose best has not improved for <c>islandStagnation</c>
/// evaluations, and that does not hold the run's best, loses its cells and population and starts again from the
/// best program of every other island (copies that share their originals' evaluations). One island at a time,
/// the worst first, so the search keeps its good islands and gives the poor ones a better start.
/// </summary>
internal sealed class IslandRestart(RunState state, IDbContextFactory<EvoCodeDbContext> contexts, IslandMigration migration)
{
    public const string RestartOperator = "restart";

    public async Task MaybeRestartAsync(CancellationToken cancellationToken)
    {
        if (state.Settings.IslandStagnation is not { } patience || state.Islands.Length < 2)
        {
            return;
        }

        int target;
        List<Search.Elite> founders;
        await state.Lock.WaitAsync(cancellationToken);
        state.Checkpoint();
        try
        {
            var evaluations = state.Run.Evaluations;
            var bestIsland = state.Islands.Where(i => i.Count > 0).MaxBy(i => i.Best.Score)?.Island;
            var stagnant = state.Islands
                .Where(i => i.Count > 0 && i.Island != bestIsland && evaluations - i.BestImprovedAt >= patience)
                .MinBy(i => i.Best.Score);
            if (stagnant is null)
            {
                return;
            }

            target = stagnant.Island;
            founders = [.. state.Islands.Where(i => i.Island != target && i.Count > 0).Select(i => i.Best).OrderByDescending(e => e.Score)];
            var previousBest = stagnant.Best.Score;
            var now = state.Time.GetUtcNow();
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.ArchiveCells.Where(c => c.RunId == state.RunId && c.Island == target).ExecuteDeleteAsync(cancellationToken);
            await db.FrontMembers.Where(m => m.RunId == state.RunId && m.Island == target).ExecuteDeleteAsync(cancellationToken);
            state.Run.Statistics.IslandRestarts++;
            state.Run.Statistics.FilledCells -= stagnant.Count;
            state.AttachCounters(db);
            RunEvents.Add(db, state.RunId, now, (RunEventKinds.IslandRestart, new { island = target, previousBest, founders = founders.Count, evaluations }));
            await state.Fence.SaveAsync(db, "island restart commit", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            stagnant.Clear(evaluations);
        }
        catch
        {
            state.Rollback();
            throw;
        }
        finally
        {
            state.Lock.Release();
        }

        foreach (var founder in founders)
        {
            await migration.MigrateAsync(founder, target, RestartOperator, cancellationToken);
        }
    }
}
