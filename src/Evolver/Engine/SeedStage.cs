using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Persistence;
using EvoCode.Evolver.Search;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Evolver.Engine;

/// <summary>
/// The seed program: stored and evaluated once, then placed on every island (copies share its evaluation, so no
/// evaluation is spent twice). A seed that does not evaluate correctly fails the run with the reason.
/// </summary>
internal sealed class SeedStage(RunState state, IDbContextFactory<EvoCodeDbContext> contexts, RunEventHub hub, BudgetGuard budget, RunStore store, EvaluationStage evaluation, IslandMigration migration)
{
    /// <summary>The operator name of the seed and of its copies on the other islands.</summary>
    public const string SeedOperator = "seed";

    /// <summary>
    /// Evaluates the seed when it has not been, and returns whether the run can go on. Its parts are laps of
    /// <paramref name="clock"/>, the loop's clock since its start: looking the seed up and making it is its store.
    /// </summary>
    public async Task<bool> EnsureAsync(SlotClock clock, CancellationToken cancellationToken)
    {
        var runId = state.RunId;
        Candidate? seed;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            seed = await db.Candidates.AsNoTracking().SingleOrDefaultAsync(c => c.RunId == runId && c.Sequence == 1, cancellationToken);
        }

        if (seed is null)
        {
            var source = state.Problem.SeedSource;
            seed = new Candidate
            {
                Id = Guid.NewGuid(),
                RunId = runId,
                Island = 0,
                Operator = SeedOperator,
                Source = source,
                CodeHash = CodeFingerprint.Of(source, state.Language).Hash,
                State = CandidateState.Pending,
            };
            budget.TakeSlotUnchecked();
            await store.StoreProposalAsync(seed, new CandidateTimings(), clock, cancellationToken);
        }

        if (seed.State == CandidateState.Pending)
        {
            await evaluation.CommitAsync(seed, await evaluation.EvaluateAsync(seed, clock, cancellationToken), clock, cancellationToken);
        }

        if (state.Islands[0].Count == 0)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var stored = await db.Candidates.AsNoTracking().Where(c => c.Id == seed.Id).Select(c => new { c.Correct, c.Outcome, c.Error }).SingleAsync(cancellationToken);
            var reason = stored.Correct == true
                ? $"The seed program was evaluated but fits no archive cell: {stored.Error}"
                : $"The seed program does not evaluate correctly ({stored.Outcome}): {stored.Error}";
            await RunStore.FinishAsync(contexts, hub, state.Fence, RunStatus.Failed, reason, state.Time.GetUtcNow(), cancellationToken);
            return false;
        }

        for (var island = 1; island < state.Islands.Length; island++)
        {
            if (state.Islands[island].Count == 0)
            {
                await migration.MigrateAsync(state.Islands[0].Best, island, SeedOperator, cancellationToken);
            }
        }

        await migration.CountAsync(clock);
        await SeedFromRun.StoreAsync(state, budget, store, contexts, clock, cancellationToken);

        return true;
    }
}
