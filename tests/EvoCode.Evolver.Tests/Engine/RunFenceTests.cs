using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Persistence;
using EvoCode.Testing;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Evolver.Tests.Engine;

/// <summary>Issue 21: a loop whose run was claimed by someone else writes nothing more and stops at once.</summary>
public sealed class RunFenceTests(StoreFixture stores)
{
    [Theory]
    [MemberData(nameof(StoreFixture.Providers), MemberType = typeof(StoreFixture))]
    public async Task Loop_AfterAnotherClaimTookTheRun_ItsNextCommitIsRefusedAndTheLoopStopsWritingNothing(StoreProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        // No heartbeat comes during the test (the poll is far away), so only the fence can notice the other claim.
        await using var harness = new EngineHarness(await stores.CreateStoreAsync(provider, ct), new QuadraticEvaluator(), settings: new Dictionary<string, string?>
        {
            ["Engine:LeaseDuration"] = "01:00:00",
            ["Engine:PollInterval"] = "00:20:00",
        });
        var problem = await harness.AddProblemAsync(QuadraticEvaluator.Seed, ct);
        await harness.StartAsync(ct);
        var run = await harness.Control.StartAsync(problem.Id, new RunSettings { MaxEvaluations = 1_000_000, ProposalConcurrency = 2, EvaluationConcurrency = 2 }, "fenced", ct);
        await harness.WaitForEvaluationsAsync(run.Id, 20, TimeSpan.FromSeconds(90), ct);

        // Another instance claims the run, as after a lease it believed expired: the epoch goes up by one.
        var lease = DateTimeOffset.UtcNow.AddHours(1);
        await using var db = harness.Store.CreateDbContext();
        var claimed = await db.Runs.Where(r => r.Id == run.Id && r.OwnerEpoch == 1)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Owner, "other-instance").SetProperty(r => r.LeaseExpiresAt, lease).SetProperty(r => r.OwnerEpoch, r => r.OwnerEpoch + 1), ct);
        Assert.Equal(1, claimed);
        var atClaim = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == run.Id, ct);
        var eventsAtClaim = await db.RunEvents.CountAsync(e => e.RunId == run.Id, ct);
        var programsAtClaim = await db.Candidates.CountAsync(c => c.RunId == run.Id, ct);

        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (harness.Engine.ActiveRuns.Contains(run.Id))
        {
            Assert.True(DateTime.UtcNow < until, "The loop kept running after another claim took its run.\n" + string.Join('\n', harness.Log.Lines));
            await Task.Delay(20, ct);
        }

        var after = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == run.Id, ct);
        Assert.Equal(RunStatus.Running, after.Status);
        Assert.Equal("other-instance", after.Owner);
        Assert.Equal(2, after.OwnerEpoch);
        Assert.Equal(atClaim.Evaluations, after.Evaluations);
        Assert.Equal(atClaim.Proposals, after.Proposals);
        Assert.Equal(atClaim.NextSequence, after.NextSequence);
        Assert.Equal(atClaim.ActiveSeconds, after.ActiveSeconds);
        Assert.Equal(eventsAtClaim, await db.RunEvents.CountAsync(e => e.RunId == run.Id, ct));
        Assert.Equal(programsAtClaim, await db.Candidates.CountAsync(c => c.RunId == run.Id, ct));
        Assert.Contains(harness.Log.Lines, l => l.Contains($"Run {run.Id}: the ", StringComparison.Ordinal) && l.Contains("owner epoch 1 no longer holds the run", StringComparison.Ordinal));
    }
}
