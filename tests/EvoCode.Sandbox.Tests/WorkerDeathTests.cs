using EvoCode.Evaluators.Contract;
using EvoCode.Sandbox.Pool;

namespace EvoCode.Sandbox.Tests;

/// <summary>A worker that dies for a reason other than the program never turns a good program into a verdict.</summary>
public sealed class WorkerDeathTests
{
    /// <summary>Spins on CPU for a while (so a test can act mid-run), then answers.</summary>
    private const string Busy = """
        using System;
        using EvoCode.Evaluators.Contract;

        public static class Candidate
        {
            public static long Run(int n, HarnessContext context)
            {
                long sum = 0;
                for (long i = 0; i < n * 1_000_000L; i++)
                {
                    sum += i % 7;
                }

                return sum;
            }
        }
        """;

    private static readonly RunLimits LongLimits = Programs.ShortLimits with { WallTime = TimeSpan.FromSeconds(30) };

    [Theory]
    [InlineData(nameof(ExchangeStep.Rented), false)]
    [InlineData(nameof(ExchangeStep.Sent), false)]
    [InlineData(nameof(ExchangeStep.Compiled), false)]
    // A check is killed only before it is sent: a warm compile can answer before a kill at "sent" lands, and a
    // complete answer left in the pipe is rightly taken, so that case would test the race, not the retry.
    [InlineData(nameof(ExchangeStep.Rented), true)]
    public async Task WorkerKilledAtAStepOfTheExchange_GoodProgramIsRetriedOnAFreshWorkerAndSucceeds(string stepName, bool check)
    {
        var ct = TestContext.Current.CancellationToken;
        var step = Enum.Parse<ExchangeStep>(stepName);
        await using var runner = await SandboxRunner.StartNewAsync(PoolOptions.Full(1), cancellationToken: ct);
        await runner.WaitUntilWarmAsync(ct);
        var reached = 0;
        runner.Pool.StepHook = async (at, worker) =>
        {
            if (at == step && Interlocked.Increment(ref reached) == 1)
            {
                await KillAsync(worker);
            }
        };

        if (check)
        {
            var result = await runner.CheckAsync(Programs.Good, ct);

            Assert.Equal(RunOutcome.Ok, result.Outcome);
            Assert.Empty(result.Diagnostics);
        }
        else
        {
            // Long enough to be still running when the kill lands at "compiled", short enough for the retry to finish.
            var run = await runner.RunAsync(Programs.Invoke(Busy, "[300]", LongLimits), ct);

            Assert.True(run.Outcome == RunOutcome.Ok, $"{run.Outcome}: {run.Error}");
            Assert.Equal("899999997", run.Output);
        }

        // The killed try and the retry on the replacement worker (the other lane's worker started too).
        Assert.Equal(2, reached);
        Assert.Equal(3, runner.Pool.WorkersStarted);
    }

    [Fact]
    public async Task IdleWorkerKilled_StatusCountsItGoneAtOnceAndTheNextProgramRunsOnItsReplacement()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var runner = await SandboxRunner.StartNewAsync(PoolOptions.Full(1), cancellationToken: ct);
        await runner.WaitUntilWarmAsync(ct);
        // One evaluation worker and one compile worker.
        Assert.Equal(2, runner.LiveWorkers);
        Assert.Equal(2, runner.IdleWorkers);

        await KillAsync(Assert.Single(runner.Pool.LiveProcesses(), w => runner.Pool.LaneOf(w.Slot) == WorkerLane.Evaluation));
        var liveAfterKill = runner.LiveWorkers;
        var idleAfterKill = runner.IdleWorkers;
        var run = await runner.RunAsync(Programs.Invoke(Programs.Good, "[2]"), ct);

        // The replacement needs seconds to warm up, so right after the death only the compile worker is counted.
        Assert.Equal(1, liveAfterKill);
        Assert.Equal(1, idleAfterKill);
        Assert.True(run.Outcome == RunOutcome.Ok, $"{run.Outcome}: {run.Error}");
        Assert.Equal("[1,4]", run.Output);
        Assert.Equal(3, runner.Pool.WorkersStarted);
        Assert.Equal(2, runner.LiveWorkers);
    }

    [Fact]
    public async Task WorkerKilledDuringEveryTry_ProgramIsCrashedAfterExactlyOneConfirmingTry()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var runner = await SandboxRunner.StartNewAsync(PoolOptions.Full(1), cancellationToken: ct);
        await runner.WaitUntilWarmAsync(ct);
        var tries = 0;
        runner.Pool.StepHook = async (at, worker) =>
        {
            if (at == ExchangeStep.Compiled)
            {
                Interlocked.Increment(ref tries);
                await KillAsync(worker);
            }
        };

        var run = await runner.RunAsync(Programs.Invoke(Busy, "[3000]", LongLimits), ct);

        Assert.Equal(RunOutcome.Crashed, run.Outcome);
        Assert.Equal(2, tries);
    }

    [Fact]
    public async Task PoolStoppingDuringARun_RequestFailsAsUnavailableNotAsAVerdict()
    {
        var ct = TestContext.Current.CancellationToken;
        var runner = await SandboxRunner.StartNewAsync(PoolOptions.Full(1), cancellationToken: ct);
        await runner.WaitUntilWarmAsync(ct);
        Task? stopping = null;
        runner.Pool.StepHook = (at, _) =>
        {
            if (at == ExchangeStep.Compiled)
            {
                stopping = Task.Run(async () => await runner.DisposeAsync(), ct);
            }

            return Task.CompletedTask;
        };

        var error = await Assert.ThrowsAsync<SandboxUnavailableException>(() => runner.RunAsync(Programs.Invoke(Busy, "[100000]", LongLimits), ct));
        await stopping!;

        Assert.Equal("The sandbox is stopping.", error.Message);
    }

    [Fact]
    public async Task StackOverflow_IsCrashedOnTheFirstTryWithItsReason()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var runner = await SandboxRunner.StartNewAsync(PoolOptions.Full(1), cancellationToken: ct);
        await runner.WaitUntilWarmAsync(ct);
        var tries = 0;
        runner.Pool.StepHook = (at, _) =>
        {
            if (at == ExchangeStep.Compiled)
            {
                Interlocked.Increment(ref tries);
            }

            return Task.CompletedTask;
        };

        var run = await runner.RunAsync(Programs.Invoke(Programs.Body("return Down(0);", "private static int Down(int n) => Down(n + 1) + 1;")), ct);

        Assert.Equal(RunOutcome.Crashed, run.Outcome);
        Assert.StartsWith("The candidate's process died: stack overflow", run.Error, StringComparison.Ordinal);
        Assert.Equal(1, tries);
    }

    private static async Task KillAsync(WorkerProcess worker)
    {
        worker.Kill();
        await worker.Exited.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
