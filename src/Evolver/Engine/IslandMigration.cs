using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Persistence;
using EvoCode.Evolver.Search;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Evolver.Engine;

/// <summary>
/// Island migration: every <c>migrationInterval</c> evaluations each island sends its best elites to the next
/// island on the ring. A copy shares its original's evaluation, so no evaluation is spent twice. Stagnant islands
/// are restarted here too (<see cref="IslandRestart"/>), from the same hook.
/// </summary>
internal sealed class IslandMigration(RunState state, IDbContextFactory<EvoCodeDbContext> contexts, RunStore store)
{
    public const string MigrationOperator = "migration";

    private long _nextMigrationAt = Schedule.NextMultiple(state.Run.Evaluations, state.Settings.MigrationInterval);
    private IslandRestart? _restart;

    /// <summary>
    /// After each evaluation: migrates when the interval is due, then restarts a stagnant island if one is. The
    /// whole of it, the checks included, is the run's store time: the lap of the evaluation slot's clock.
    /// </summary>
    public async Task MaybeMigrateAsync(SlotClock clock, CancellationToken cancellationToken)
    {
        try
        {
            await MigrateWhenDueAsync(cancellationToken);
            _restart ??= new IslandRestart(state, contexts, this);
            await _restart.MaybeRestartAsync(cancellationToken);
        }
        finally
        {
            await CountAsync(clock);
        }
    }

    /// <summary>Ends a lap of store time spent on migrants (under the lock: the counters are the commits' too).</summary>
    public async Task CountAsync(SlotClock clock)
    {
        await state.Lock.WaitAsync(CancellationToken.None);
        state.Run.Statistics.StoreMs += clock.Lap();
        state.Lock.Release();
    }

    private async Task MigrateWhenDueAsync(CancellationToken cancellationToken)
    {
        List<List<Elite>> migrants;
        await state.Lock.WaitAsync(cancellationToken);
        try
        {
            if (state.Islands.Length < 2 || state.Run.Evaluations < _nextMigrationAt)
            {
                return;
            }

            _nextMigrationAt = Schedule.NextMultiple(state.Run.Evaluations, state.Settings.MigrationInterval);

            // Ring: island i sends its best elites to island i + 1.
            migrants = [.. state.Islands.Select(i => i.Top(state.Settings.MigrationCount).ToList())];
        }
        finally
        {
            state.Lock.Release();
        }

        for (var source = 0; source < state.Islands.Length; source++)
        {
            foreach (var migrant in migrants[source])
            {
                await MigrateAsync(migrant, (source + 1) % state.Islands.Length, MigrationOperator, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Copies an elite onto another island with its evaluation; a program already there is not copied again. Its
    /// time is counted by the caller's lap (<see cref="CountAsync"/>).
    /// </summary>
    public async Task MigrateAsync(Elite migrant, int destination, string operatorName, CancellationToken cancellationToken)
    {
        var runId = state.RunId;
        await state.Lock.WaitAsync(cancellationToken);
        state.Checkpoint();
        try
        {
            var island = state.Islands[destination];
            if (island.HoldsCode(migrant.CodeHash) || !island.WouldImprove(migrant.CellKey, migrant.Score))
            {
                return;
            }

            var now = state.Time.GetUtcNow();
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var original = await db.Candidates.AsNoTracking().SingleAsync(c => c.Id == migrant.Id, cancellationToken);
            var copy = new Candidate
            {
                Id = Guid.NewGuid(),
                RunId = runId,
                Sequence = await store.NextSequenceAsync(db, cancellationToken),
                Island = destination,
                Generation = original.Generation,
                ParentId = original.Id,
                Parents = [new CandidateParent { ParentId = original.Id, Position = 0 }],
                Operator = operatorName,
                Model = original.Model,
                Source = original.Source,
                CodeHash = original.CodeHash,
                State = CandidateState.Evaluated,
                Outcome = original.Outcome,
                Correct = original.Correct,
                Score = original.Score,
                Metrics = original.Metrics,
                Features = original.Features,
                CellKey = original.CellKey,
                Artifacts = original.Artifacts,
                Error = original.Error,
                CreatedAt = now,
                EvaluatedAt = now,
            };
            db.Candidates.Add(copy);
            await db.SaveChangesAsync(cancellationToken);
            var placed = await ArchiveStore.TryPlaceEliteAsync(db, runId, destination, migrant.CellKey, copy.Id, migrant.Score, now, cancellationToken);
            copy.BecameElite = placed;
            var front = FrontPlacement.Plan(state, copy, migrant.CellKey);
            await FrontPlacement.StoreAsync(db, runId, front, cancellationToken);
            ArchiveStatistics.Count(state, destination, migrant.CellKey, placed);
            state.Run.NextSequence = copy.Sequence + 1;
            state.AttachCounters(db);
            if (operatorName == MigrationOperator)
            {
                state.Run.Statistics.Migrations++;
                RunEvents.Add(db, runId, now, (RunEventKinds.Migration, new { candidateId = copy.Id, from = migrant.Island, to = destination, score = migrant.Score }));
            }

            await state.Fence.SaveAsync(db, "migration commit", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            if (placed)
            {
                island.Place(migrant with { Id = copy.Id, Island = destination }, state.Run.Evaluations);
            }

            FrontPlacement.Apply(state, front);
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
    }
}
