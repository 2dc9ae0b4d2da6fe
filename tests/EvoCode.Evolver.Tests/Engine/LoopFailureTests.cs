using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Engine;
using EvoCode.Evolver.Llm;
using EvoCode.Evolver.Mutation;
using EvoCode.Evolver.Persistence;
using EvoCode.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EvoCode.Evolver.Tests.Engine;

/// <summary>An exception the loop does not expect fails that run with its reason after bounded retries with backoff, never a crash loop.</summary>
public sealed class LoopFailureTests(StoreFixture stores)
{
    private const string Bug = "operator bug on purpose";

    [Fact]
    public async Task Run_OperatorThatAlwaysThrows_FailsWithTheReasonAfterThreeLoopAttemptsAndStaysFailed()
    {
        var ct = TestContext.Current.CancellationToken;
        var throwing = new ThrowingOperator();
        await using var harness = new EngineHarness(
            await stores.CreateStoreAsync(StoreProvider.Sqlite, ct),
            new QuadraticEvaluator(),
            (services, _) => services.AddSingleton<IOperatorSource>(new ThrowingOperatorSource(throwing)));
        var problem = await harness.AddProblemAsync(QuadraticEvaluator.Seed, ct);
        await harness.StartAsync(ct);

        var run = await harness.Control.StartAsync(problem.Id, new RunSettings { MaxEvaluations = 30 }, "throwing operator", ct);
        var done = await harness.WaitForEndAsync(run.Id, TimeSpan.FromSeconds(120), ct);
        var callsAtEnd = throwing.Calls;

        // A worker survives 5 failed iterations (with backoff), then the loop is rebuilt from the store, 3 times in all.
        Assert.Equal(RunStatus.Failed, done.Status);
        Assert.Equal($"The run loop failed {RunLoop.MaxLoopAttempts} times; last: InvalidOperationException: {Bug}", done.StatusReason);
        Assert.Equal(3 * 5, callsAtEnd);
        Assert.Equal(RunLoop.MaxLoopAttempts - 1, harness.Log.Lines.Count(l => l.Contains("the loop failed (try", StringComparison.Ordinal)));
        Assert.Equal(1, done.Evaluations);

        // The failed run is not picked up again: no more proposals, one error event.
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        await using var db = harness.Store.CreateDbContext();
        var after = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == run.Id, ct);
        Assert.Equal((RunStatus.Failed, callsAtEnd), (after.Status, throwing.Calls));
        Assert.Equal(1, await db.RunEvents.CountAsync(e => e.RunId == run.Id && e.Kind == RunEventKinds.Error, ct));
    }

    private sealed class ThrowingOperator : IMutationOperator
    {
        private int _calls;

        public string Name => "diff";

        public int Calls => Volatile.Read(ref _calls);

        public Task<Proposal> ProposeAsync(MutationRequest request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            throw new InvalidOperationException(Bug);
        }
    }

    private sealed class ThrowingOperatorSource(ThrowingOperator op) : IOperatorSource
    {
        public IReadOnlyCollection<string> ModelNames => [];

        public RunOperators Create(Run run, Problem problem, ModelLedger ledger) => new([(op, 1.0)]);
    }
}
