using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Persistence;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Evolver.Engine;

/// <summary>
/// Seeding a run from another (issue 19, GigaEvo's top-programs loader): when the settings name <c>seedRunId</c>,
/// the <c>seedRunTop</c> best correct programs of that run (distinct code, best first) are stored once, after the
/// seed, as pending programs of operator <c>seed-run</c> spread over the islands in turn, and evaluated like any
/// other (each takes an evaluation of this run's budget, with this run's evaluator), so a long search goes on
/// with new settings. The API checks that the run exists and is of the same problem.
/// </summary>
internal static class SeedFromRun
{
    public const string OperatorName = "seed-run";

    /// <summary>Stores the other run's top programs, unless this run has them already (a resume).</summary>
    /// <param name="clock">The loop's clock: the lookup and each store are laps of it (store time).</param>
    public static async Task StoreAsync(RunState state, BudgetGuard budget, RunStore store, IDbContextFactory<EvoCodeDbContext> contexts, SlotClock clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(contexts);
        ArgumentNullException.ThrowIfNull(clock);
        if (state.Settings.SeedRunId is not { } sourceRun)
        {
            return;
        }

        List<(string Source, string CodeHash)> top;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            if (await db.Candidates.AnyAsync(c => c.RunId == state.RunId && c.Operator == OperatorName, cancellationToken))
            {
                return;
            }

            // Several programs share code (migrants, seed copies): take the best of each code once.
            var rows = await db.Candidates.AsNoTracking()
                .Where(c => c.RunId == sourceRun && c.Correct == true && c.Score != null)
                .OrderByDescending(c => c.Score).ThenBy(c => c.Sequence)
                .Select(c => new { c.Source, c.CodeHash })
                .Take(state.Settings.SeedRunTop * 8)
                .ToListAsync(cancellationToken);
            top = [.. rows.DistinctBy(r => r.CodeHash).Select(r => (r.Source, r.CodeHash))];
        }

        var island = 0;
        foreach (var (source, codeHash) in top)
        {
            if (island >= state.Settings.SeedRunTop)
            {
                break;
            }

            if (state.SeenHashes.Contains(codeHash))
            {
                continue;
            }

            if (!budget.TryTakeExtraSlot())
            {
                return;
            }

            var candidate = new Candidate
            {
                Id = Guid.NewGuid(),
                RunId = state.RunId,
                Island = island % state.Islands.Length,
                Operator = OperatorName,
                Source = source,
                CodeHash = codeHash,
                State = CandidateState.Pending,
            };
            try
            {
                await store.StoreProposalAsync(candidate, new CandidateTimings(), clock, cancellationToken);
            }
            catch
            {
                budget.ReturnSlot();
                throw;
            }

            island++;
        }
    }
}
