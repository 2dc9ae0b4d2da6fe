using EvoCode.Evaluators.Contract;

namespace EvoCode.Sandbox.Tests;

/// <summary>A new worker is warmed on the programs the sandbox compiled before it takes work.</summary>
public sealed class WorkerWarmupTests
{
    [Fact]
    public async Task ReplacementWorker_BeforeItTakesWork_CompilesTheRecentProgramsWarmupCompilesTimes()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = PoolOptions.Full(1);
        options.WarmupCompiles = 5;
        await using var runner = await SandboxRunner.StartNewAsync(options, cancellationToken: ct);
        await runner.WaitUntilWarmAsync(ct);

        // The first worker started with nothing to warm on; the program it compiles becomes a warm-up program,
        // and one that does not compile does not.
        // Slot 0 is the evaluation lane's only slot; the compile lane's slots come after it.
        Assert.Equal(0, runner.Pool.LiveProcesses().Single(p => p.Slot == 0).Runs);
        var first = await runner.RunAsync(Programs.Invoke(Programs.Good, "[4]", Programs.ShortLimits), ct);
        var broken = await runner.CheckAsync("public static class Candidate { public static int Run( }", ct);
        Assert.Equal(RunOutcome.Ok, first.Outcome);
        Assert.Equal(RunOutcome.CompileError, broken.Outcome);
        Assert.Equal(1, runner.Pool.Warmup.Programs);

        var worker = runner.Pool.LiveProcesses().Single(p => p.Slot == 0);
        worker.Kill();
        await worker.Exited.WaitAsync(TimeSpan.FromSeconds(30), ct);
        await runner.WaitUntilWarmAsync(ct);

        var replacement = runner.Pool.LiveProcesses().Single(p => p.Slot == 0);
        Assert.NotEqual(worker.ProcessId, replacement.ProcessId);
        // The evaluation lane's first worker, the compile lane's worker (ADR-018), and the replacement.
        Assert.Equal(3, runner.Pool.WorkersStarted);
        Assert.Equal(5, replacement.Runs);
        var again = await runner.RunAsync(Programs.Invoke(Programs.Good, "[4]", Programs.ShortLimits), ct);
        Assert.Equal(first.Output, again.Output);
        Assert.Equal(6, replacement.Runs);
    }

    [Fact]
    public async Task ReplacementWorker_WithAnEvaluationWaiting_WarmsOnceAndTakesTheEvaluation()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = PoolOptions.Full(1);
        options.WarmupCompiles = 5;

        // The shortest the option allows, below what a start with its first warm-up compile usually takes here (not
        // measured): the evaluation must wait for a start that is on its way instead of failing.
        options.WorkerWaitTimeout = TimeSpan.FromSeconds(1);
        await using var runner = await SandboxRunner.StartNewAsync(options, cancellationToken: ct);
        await runner.WaitUntilWarmAsync(ct);
        var first = await runner.RunAsync(Programs.Invoke(Programs.Good, "[4]", Programs.ShortLimits), ct);
        Assert.Equal(RunOutcome.Ok, first.Outcome);

        var worker = runner.Pool.LiveProcesses().Single(p => p.Slot == 0);
        worker.Kill();
        await worker.Exited.WaitAsync(TimeSpan.FromSeconds(30), ct);

        // The evaluation waits for the replacement from before it has started: warming uses idle time only.
        var again = await runner.RunAsync(Programs.Invoke(Programs.Good, "[4]", Programs.ShortLimits), ct);

        Assert.Equal(first.Output, again.Output);
        var replacement = runner.Pool.LiveProcesses().Single(p => p.Slot == worker.Slot);
        Assert.NotEqual(worker.ProcessId, replacement.ProcessId);
        Assert.Equal(2, replacement.Runs);
    }
}
