using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Persistence;
using EvoCode.Testing;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Evolver.Tests.Engine;

public sealed class RunLoopTests(StoreFixture stores)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(90);

    [Theory]
    [MemberData(nameof(StoreFixture.Providers), MemberType = typeof(StoreFixture))]
    public async Task Run_OfflineOperators_ImprovesOnTheSeedAndStopsExactlyAtTheEvaluationBudget(StoreProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var evaluator = new QuadraticEvaluator();
        await using var harness = new EngineHarness(await stores.CreateStoreAsync(provider, ct), evaluator);
        var problem = await harness.AddProblemAsync(QuadraticEvaluator.Seed, ct);
        await harness.StartAsync(ct);

        var run = await harness.Control.StartAsync(problem.Id, new RunSettings { MaxEvaluations = 80, Islands = 2, MigrationInterval = 20, ProposalConcurrency = 2, EvaluationConcurrency = 2 }, "budget", ct);
        var done = await harness.WaitForEndAsync(run.Id, s_timeout, ct);

        Assert.Equal(RunStatus.Completed, done.Status);
        Assert.Contains("evaluation budget", done.StatusReason, StringComparison.Ordinal);
        Assert.Equal(80, done.Evaluations);
        Assert.Equal(80, evaluator.Evaluations);
        await using var db = harness.Store.CreateDbContext();
        var programs = await db.Candidates.AsNoTracking().Where(c => c.RunId == run.Id).ToListAsync(ct);
        var evaluatedOnce = programs.Where(c => c.State == CandidateState.Evaluated && c.Operator is not ("migration" or "seed") || c.Sequence == 1).ToList();
        Assert.Equal(80, evaluatedOnce.Count);
        Assert.DoesNotContain(programs, c => c.State == CandidateState.Pending);
        var seedScore = programs.Single(c => c.Sequence == 1).Score!.Value;
        Assert.True(done.BestScore > seedScore, $"Best {done.BestScore} should beat the seed's {seedScore}.");
        Assert.Equal(programs.Where(c => c.Score is not null).Max(c => c.Score), done.BestScore);
        Assert.Equal(programs.Count, programs.Select(c => c.Sequence).Distinct().Count());

        // Statistics add up.
        Assert.Equal(done.Proposals, done.Statistics.Operators.Values.Sum(o => o.Proposed));
        Assert.Equal(80, done.Statistics.Outcomes.Values.Sum());
        Assert.True(done.Statistics.Operators["literal"].Evaluated > 0);
        await AssertEveryRejectionStoredAsync(db, done, ct);
    }

    // Screened-out built-in proposals ride on later commits in batches: once the run has ended, every one of them is
    // counted once and on the stream once, in the order they happened.
    private static async Task AssertEveryRejectionStoredAsync(EvoCodeDbContext db, Run done, CancellationToken ct)
    {
        Assert.True(done.Rejections > 0, "The run should have screened out some duplicate proposals.");
        var events = await db.RunEvents.AsNoTracking().Where(e => e.RunId == done.Id && e.Kind == RunEventKinds.Rejected).OrderBy(e => e.Id).Select(e => e.Data).ToListAsync(ct);
        var counts = events.Select(d => System.Text.Json.JsonDocument.Parse(d).RootElement.GetProperty("proposals").GetInt64()).ToList();
        Assert.Equal(done.Rejections, events.Count);
        Assert.Equal(done.Rejections, done.Statistics.Rejections.Values.Sum());
        Assert.Equal(done.Rejections, done.Statistics.Operators.Values.Sum(o => o.Rejected));
        Assert.Equal(counts.Order().ToList(), counts);
        Assert.Equal(counts.Count, counts.Distinct().Count());
    }

    [Fact]
    public async Task Run_LockstepWithAFixedSeed_IsReproducible()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = await stores.CreateStoreAsync(StoreProvider.Sqlite, ct);
        await using var harness = new EngineHarness(store, new QuadraticEvaluator());
        var problem = await harness.AddProblemAsync(QuadraticEvaluator.Seed, ct);
        await harness.StartAsync(ct);
        var settings = new RunSettings { MaxEvaluations = 40, Islands = 2, MigrationInterval = 10, Seed = 7 };

        var first = await harness.Control.StartAsync(problem.Id, settings, "a", ct);
        await harness.WaitForEndAsync(first.Id, s_timeout, ct);
        var second = await harness.Control.StartAsync(problem.Id, settings, "b", ct);
        await harness.WaitForEndAsync(second.Id, s_timeout, ct);

        await using var db = store.CreateDbContext();
        async Task<List<string>> TraceAsync(Guid runId) =>
            (await db.Candidates.AsNoTracking().Where(c => c.RunId == runId).OrderBy(c => c.Sequence)
                .Select(c => new { c.Sequence, c.Island, c.Operator, c.CodeHash, c.Score }).ToListAsync(ct))
            .Select(c => $"{c.Sequence}:{c.Island}:{c.Operator}:{c.CodeHash}:{c.Score}").ToList();
        var a = await TraceAsync(first.Id);
        Assert.True(a.Count > 40);
        Assert.Equal(a, await TraceAsync(second.Id));
    }

    [Theory]
    [MemberData(nameof(StoreFixture.Providers), MemberType = typeof(StoreFixture))]
    public async Task Run_EngineStoppedMidRunAndStartedAgain_ContinuesWithNothingLostOrEvaluatedTwice(StoreProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var store = await stores.CreateStoreAsync(provider, ct);
        var evaluator = new QuadraticEvaluator();
        evaluator.HoldAfter(40);
        Guid runId;
        await using (var first = new EngineHarness(store, evaluator))
        {
            var problem = await first.AddProblemAsync(QuadraticEvaluator.Seed, ct);
            await first.StartAsync(ct);
            var run = await first.Control.StartAsync(problem.Id, new RunSettings { MaxEvaluations = 120, ProposalConcurrency = 2, EvaluationConcurrency = 2 }, "resume", ct);
            runId = run.Id;
            await first.WaitForEvaluationsAsync(run.Id, 30, s_timeout, ct);
        }

        await using (var db = store.CreateDbContext())
        {
            var stopped = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == runId, ct);
            Assert.Equal(RunStatus.Running, stopped.Status);
            Assert.InRange(stopped.Evaluations, 30, 40);
        }

        evaluator.Release();

        await using var second = new EngineHarness(store, evaluator);
        await second.StartAsync(ct);
        var done = await second.WaitForEndAsync(runId, s_timeout, ct);

        Assert.Equal(RunStatus.Completed, done.Status);
        await using var check = store.CreateDbContext();
        var programs = await check.Candidates.AsNoTracking().Where(c => c.RunId == runId).ToListAsync(ct);
        Assert.Equal(120, done.Evaluations);
        Assert.DoesNotContain(programs, c => c.State == CandidateState.Pending);
        Assert.Equal(120, programs.Count(c => c.State == CandidateState.Evaluated && (c.Sequence == 1 || c.Operator is not ("seed" or "migration"))));
        Assert.Equal(programs.Count, programs.Select(c => c.Sequence).Distinct().Count());

        // Only evaluations cut short by the stop (at most one per evaluation worker) ran again.
        Assert.InRange(evaluator.Evaluations, 120, 122);
        await AssertEveryRejectionStoredAsync(check, done, ct);
    }

    [Fact]
    public async Task Run_PausedThenResumedThenCancelled_FollowsTheUser()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = new EngineHarness(await stores.CreateStoreAsync(StoreProvider.Sqlite, ct), new QuadraticEvaluator());
        var problem = await harness.AddProblemAsync(QuadraticEvaluator.Seed, ct);
        await harness.StartAsync(ct);
        var run = await harness.Control.StartAsync(problem.Id, new RunSettings { MaxEvaluations = 100_000 }, "control", ct);
        await harness.WaitForEvaluationsAsync(run.Id, 10, s_timeout, ct);

        Assert.True(await harness.Control.PauseAsync(run.Id, ct));
        await using var db = harness.Store.CreateDbContext();
        var paused = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == run.Id, ct);
        Assert.Equal(RunStatus.Paused, paused.Status);
        Assert.DoesNotContain(run.Id, harness.Engine.ActiveRuns);
        await Task.Delay(300, ct);
        Assert.Equal(paused.Evaluations, (await db.Runs.AsNoTracking().SingleAsync(r => r.Id == run.Id, ct)).Evaluations);
        Assert.False(await harness.Control.PauseAsync(run.Id, ct));

        Assert.True(await harness.Control.ResumeAsync(run.Id, ct));
        await harness.WaitForEvaluationsAsync(run.Id, paused.Evaluations + 10, s_timeout, ct);

        Assert.True(await harness.Control.CancelAsync(run.Id, ct));
        var cancelled = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == run.Id, ct);
        Assert.Equal(RunStatus.Cancelled, cancelled.Status);
        Assert.NotNull(cancelled.FinishedAt);
        Assert.False(await harness.Control.ResumeAsync(run.Id, ct));
        var kinds = await db.RunEvents.AsNoTracking().Where(e => e.RunId == run.Id && e.Kind == RunEventKinds.Status).OrderBy(e => e.Id).Select(e => e.Data).ToListAsync(ct);
        Assert.Collection(
            kinds,
            k => Assert.Contains("Pending", k, StringComparison.Ordinal),
            k => Assert.Contains("Running", k, StringComparison.Ordinal),
            k => Assert.Contains("Paused", k, StringComparison.Ordinal),
            k => Assert.Contains("Pending", k, StringComparison.Ordinal),
            k => Assert.Contains("Running", k, StringComparison.Ordinal),
            k => Assert.Contains("Cancelled", k, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_TargetScoreReached_CompletesEarly()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = new EngineHarness(await stores.CreateStoreAsync(StoreProvider.Sqlite, ct), new QuadraticEvaluator());
        var problem = await harness.AddProblemAsync(QuadraticEvaluator.Seed, ct);
        await harness.StartAsync(ct);

        // The seed scores -13; -12.9 is reached by the first small improvement.
        var run = await harness.Control.StartAsync(problem.Id, new RunSettings { MaxEvaluations = 5000, TargetScore = -12.9 }, "target", ct);
        var done = await harness.WaitForEndAsync(run.Id, s_timeout, ct);

        Assert.Equal(RunStatus.Completed, done.Status);
        Assert.Contains("target", done.StatusReason, StringComparison.Ordinal);
        Assert.True(done.BestScore >= -12.9);
        Assert.True(done.Evaluations < 5000);
    }

    [Fact]
    public async Task Run_MaxProposals_StopsProposing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = new EngineHarness(await stores.CreateStoreAsync(StoreProvider.Sqlite, ct), new QuadraticEvaluator());
        var problem = await harness.AddProblemAsync(QuadraticEvaluator.Seed, ct);
        await harness.StartAsync(ct);

        var run = await harness.Control.StartAsync(problem.Id, new RunSettings { MaxEvaluations = null, MaxProposals = 25 }, "proposals", ct);
        var done = await harness.WaitForEndAsync(run.Id, s_timeout, ct);

        Assert.Equal(RunStatus.Completed, done.Status);
        Assert.Equal(25, done.Proposals);
    }

    [Fact]
    public async Task Run_SeedThatDoesNotEvaluate_FailsWithTheReason()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = new EngineHarness(await stores.CreateStoreAsync(StoreProvider.Sqlite, ct), new QuadraticEvaluator());
        var problem = await harness.AddProblemAsync(QuadraticEvaluator.Seed.Replace("double y = 2.0;", "double y = Y();", StringComparison.Ordinal), ct);
        await harness.StartAsync(ct);

        var run = await harness.Control.StartAsync(problem.Id, new RunSettings(), "bad seed", ct);
        var done = await harness.WaitForEndAsync(run.Id, s_timeout, ct);

        Assert.Equal(RunStatus.Failed, done.Status);
        Assert.Contains("x or y is no longer a constant", done.StatusReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_EvaluatorThatThrowsOnChildren_RecordsEachFailureAndReachesTheBudget()
    {
        var ct = TestContext.Current.CancellationToken;
        var evaluator = new QuadraticEvaluator(throwEvery: 3);
        await using var harness = new EngineHarness(await stores.CreateStoreAsync(StoreProvider.Sqlite, ct), evaluator);
        var problem = await harness.AddProblemAsync(QuadraticEvaluator.Seed, ct);
        await harness.StartAsync(ct);

        var run = await harness.Control.StartAsync(problem.Id, new RunSettings { MaxEvaluations = 30 }, "crashing children", ct);
        var done = await harness.WaitForEndAsync(run.Id, s_timeout, ct);

        Assert.Equal(RunStatus.Completed, done.Status);
        Assert.Equal(30, done.Evaluations);
        Assert.Equal(10, done.Statistics.Outcomes["Crashed"]);
        await using var db = harness.Store.CreateDbContext();
        var crashed = await db.Candidates.AsNoTracking().Where(c => c.RunId == run.Id && c.Outcome == "Crashed").ToListAsync(ct);
        Assert.Equal(10, crashed.Count);
        Assert.All(crashed, c => Assert.Contains("evaluator bug triggered on purpose", c.Error, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_SeedWhoseEvaluatorThrows_FailsTheRunWithTheCrashRecorded()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = new EngineHarness(await stores.CreateStoreAsync(StoreProvider.Sqlite, ct), new QuadraticEvaluator());

        // The seed carries the crash trigger in a statement the delete operator can remove, so some children evaluate.
        var seed = QuadraticEvaluator.Seed.Replace("return x + y;", "if (x > 100) { throw new System.Exception(); }\n        return x + y;", StringComparison.Ordinal);
        var problem = await harness.AddProblemAsync(QuadraticEvaluator.Seed, ct);
        await using (var db = harness.Store.CreateDbContext())
        {
            var stored = await db.Problems.SingleAsync(p => p.Id == problem.Id, ct);
            stored.SeedSource = seed;
            await db.SaveChangesAsync(ct);
        }

        await harness.StartAsync(ct);
        var run = await harness.Control.StartAsync(problem.Id, new RunSettings { MaxEvaluations = 10 }, "crash", ct);
        var done = await harness.WaitForEndAsync(run.Id, s_timeout, ct);

        Assert.Equal(RunStatus.Failed, done.Status);
        Assert.Contains("The evaluator failed", done.StatusReason, StringComparison.Ordinal);
        await using var check = harness.Store.CreateDbContext();
        var seedRow = await check.Candidates.AsNoTracking().SingleAsync(c => c.RunId == run.Id && c.Sequence == 1, ct);
        Assert.Equal(CandidateState.Evaluated, seedRow.State);
        Assert.False(seedRow.Correct);
        Assert.Equal("Crashed", seedRow.Outcome);
    }

    [Fact]
    public async Task Run_Islands_MigrateElitesWithoutCopyingAProgramTwice()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = new EngineHarness(await stores.CreateStoreAsync(StoreProvider.Sqlite, ct), new QuadraticEvaluator());
        var problem = await harness.AddProblemAsync(QuadraticEvaluator.Seed, ct);
        await harness.StartAsync(ct);

        var run = await harness.Control.StartAsync(problem.Id, new RunSettings { MaxEvaluations = 90, Islands = 3, MigrationInterval = 10, MigrationCount = 2 }, "islands", ct);
        var done = await harness.WaitForEndAsync(run.Id, s_timeout, ct);

        await using var db = harness.Store.CreateDbContext();
        var programs = await db.Candidates.AsNoTracking().Where(c => c.RunId == run.Id).ToListAsync(ct);
        Assert.True(done.Statistics.Migrations > 0);
        foreach (var island in programs.GroupBy(c => c.Island))
        {
            var migrants = island.Where(c => c.Operator == "migration").ToList();
            Assert.Equal(migrants.Count, migrants.Select(m => m.CodeHash).Distinct().Count());
        }

        Assert.Equal([0, 1, 2], programs.Select(c => c.Island).Distinct().Order());
        var cells = await db.ArchiveCells.AsNoTracking().Where(c => c.RunId == run.Id).ToListAsync(ct);
        foreach (var cell in cells)
        {
            var elite = programs.Single(p => p.Id == cell.EliteId);
            Assert.Equal(cell.Island, elite.Island);
            Assert.Equal(cell.Score, elite.Score);
            Assert.Equal(cell.CellKey, elite.CellKey);
        }
    }
}
