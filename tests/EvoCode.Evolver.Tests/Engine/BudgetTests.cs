using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Persistence;
using EvoCode.Testing;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Evolver.Tests.Engine;

/// <summary>Hard budgets, with the real run loop and a fake model on loopback: a run never ends above its token or cost budget.</summary>
public sealed class BudgetTests(StoreFixture stores)
{
    public static TheoryData<StoreProvider, int> ProvidersAndConcurrency()
    {
        var data = new TheoryData<StoreProvider, int>();
        foreach (var provider in new[] { StoreProvider.Sqlite, StoreProvider.Postgres })
        {
            data.Add(provider, 1);
            data.Add(provider, 4);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ProvidersAndConcurrency))]
    public async Task Run_MaxCost_EndsAtTheCostBudgetAndNeverAboveIt(StoreProvider provider, int proposals)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var engine = await FakeModelEngine.StartAsync(stores, provider, ct);

        var done = await engine.RunAsync(new RunSettings { MaxEvaluations = 10_000, MaxCost = 0.02m, ProposalConcurrency = proposals, EvaluationConcurrency = proposals, Operators = new Dictionary<string, double> { ["diff"] = 1 } }, ct);

        Assert.Equal(RunStatus.Completed, done.Status);
        Assert.StartsWith("Reached the cost budget (0.02)", done.StatusReason, StringComparison.Ordinal);
        var calls = await engine.CallsAsync(done.Id, ct);
        var (_, billed) = engine.Bill();
        Assert.Equal(billed, done.Cost);
        Assert.Equal(calls.Sum(c => c.Cost ?? 0m), done.Cost);
        // The ledger stops the run once one more call's worst case no longer fits beside the calls in flight.
        Assert.InRange(done.Cost, 0.005m, 0.02m);
        Assert.Equal(engine.Fake.Requests.Count, calls.Count);
    }

    [Theory]
    [MemberData(nameof(ProvidersAndConcurrency))]
    public async Task Run_MaxTokens_EndsAtTheTokenBudgetAndNeverAboveIt(StoreProvider provider, int proposals)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var engine = await FakeModelEngine.StartAsync(stores, provider, ct);

        var done = await engine.RunAsync(new RunSettings { MaxEvaluations = 10_000, MaxTokens = 12_000, ProposalConcurrency = proposals, EvaluationConcurrency = proposals, Operators = new Dictionary<string, double> { ["diff"] = 1 } }, ct);

        Assert.Equal(RunStatus.Completed, done.Status);
        Assert.StartsWith("Reached the token budget (12000)", done.StatusReason, StringComparison.Ordinal);
        var calls = await engine.CallsAsync(done.Id, ct);
        var (billed, _) = engine.Bill();
        Assert.Equal(billed, done.InputTokens + done.OutputTokens);
        Assert.Equal(calls.Sum(c => (long)(c.InputTokens ?? 0) + (c.OutputTokens ?? 0)), done.InputTokens + done.OutputTokens);
        Assert.InRange(done.InputTokens + done.OutputTokens, 4_000, 12_000);
    }

    [Theory]
    [MemberData(nameof(ProvidersAndConcurrency))]
    public async Task Run_MaxWallTime_EndsAtTheWallTimeBudgetWithEverySpentCallCounted(StoreProvider provider, int proposals)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var engine = await FakeModelEngine.StartAsync(stores, provider, ct);

        var done = await engine.RunAsync(new RunSettings { MaxEvaluations = 100_000, MaxWallTimeSeconds = 3, ProposalConcurrency = proposals, EvaluationConcurrency = proposals, Operators = new Dictionary<string, double> { ["diff"] = 1 } }, ct);

        Assert.Equal(RunStatus.Completed, done.Status);
        Assert.Equal("Reached the wall-time budget (3 s).", done.StatusReason);
        Assert.True(done.ActiveSeconds >= 3, $"active {done.ActiveSeconds} s");
        var (billed, cost) = engine.Bill();
        Assert.Equal((billed, cost), (done.InputTokens + done.OutputTokens, done.Cost));
    }

    [Theory]
    [MemberData(nameof(ProvidersAndConcurrency))]
    public async Task Run_TargetScore_CompletesOnceAProgramReachesIt(StoreProvider provider, int proposals)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var engine = await FakeModelEngine.StartAsync(stores, provider, ct);

        // The seed scores -(2² + 3²) = -13; the fake model's literal nudges reach -12.9 within a few children.
        var done = await engine.RunAsync(new RunSettings { MaxEvaluations = 10_000, MaxCost = 1m, TargetScore = -12.9, ProposalConcurrency = proposals, EvaluationConcurrency = proposals, Operators = new Dictionary<string, double> { ["diff"] = 1 } }, ct);

        Assert.Equal(RunStatus.Completed, done.Status);
        Assert.Equal("Reached the target score -12.9.", done.StatusReason);
        Assert.True(done.BestScore >= -12.9, $"best {done.BestScore}");
        await using var db = engine.Harness.Store.CreateDbContext();
        Assert.Equal(done.BestScore, await db.Candidates.Where(c => c.RunId == done.Id).MaxAsync(c => c.Score, ct));
    }

    [Theory]
    [MemberData(nameof(StoreFixture.Providers), MemberType = typeof(StoreFixture))]
    public async Task Run_WhoseEditsNeverApply_StallsAfterTwentyCallsWithAnEventForEachCallAndRejection(StoreProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var engine = await FakeModelEngine.StartAsync(stores, provider, ct);
        engine.Fake.Enqueue([.. Enumerable.Repeat(EvoCode.FakeLlm.FakeStep.Reply(FakeModelEngine.DiffThatNeverApplies, 500, 20), 100)]);

        var done = await engine.RunAsync(new RunSettings { MaxEvaluations = 10_000, Operators = new Dictionary<string, double> { ["diff"] = 1 } }, ct);

        // Each proposal is a call and two feedback turns; after 7 proposals, 21 calls produced nothing to evaluate.
        // (The seed counts as the run's first proposal.)
        Assert.Equal(RunStatus.Failed, done.Status);
        Assert.Equal("Stalled: 21 model calls in a row produced no program worth evaluating (limit 20, run setting maxCallsWithoutChild).", done.StatusReason);
        Assert.Equal((8L, 7L, 1L), (done.Proposals, done.Rejections, done.Evaluations));
        await using var db = engine.Harness.Store.CreateDbContext();
        var kinds = await db.RunEvents.AsNoTracking().Where(e => e.RunId == done.Id).Select(e => e.Kind).ToListAsync(ct);
        Assert.Equal(21, kinds.Count(k => k == RunEventKinds.ModelCall));
        Assert.Equal(7, kinds.Count(k => k == RunEventKinds.Rejected));
        Assert.Equal(21, (await engine.CallsAsync(done.Id, ct)).Count);
    }
}
