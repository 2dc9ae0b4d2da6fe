using System.Collections.Concurrent;
using EvoCode.Evaluators.Contract;

namespace EvoCode.Sandbox.Tests;

/// <summary>
/// bubblewrap's --die-with-parent follows the thread that forked the jail. This test process retires idle
/// thread-pool threads after 1 s (see the project file), so workers forked from pool threads would die while idle.
/// </summary>
public sealed class ThreadRetirementTests
{
    [Fact]
    public async Task PoolIdlePastThreadRetirement_EveryWorkerStillEvaluates_NoneReplaced()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(1000, AppContext.GetData("System.Threading.ThreadPool.ThreadTimeoutMs") is { } value ? Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture) : -1);
        await using var runner = await SandboxRunner.StartNewAsync(PoolOptions.Full(2), cancellationToken: ct);
        await runner.WaitUntilWarmAsync(ct);
        var warm = runner.Pool.LiveProcesses().Where(w => runner.Pool.LaneOf(w.Slot) == Pool.WorkerLane.Evaluation).Select(w => w.ProcessId).Order().ToArray();

        // Five retirement periods with nothing to do.
        await Task.Delay(TimeSpan.FromSeconds(5), ct);
        var liveAfterIdle = runner.LiveWorkers;
        var used = new ConcurrentBag<int>();
        var gate = new Barrier(2);
        runner.Pool.StepHook = (step, worker) =>
        {
            if (step == Pool.ExchangeStep.Rented)
            {
                used.Add(worker.ProcessId);

                // Both requests hold a worker at once, so each worker serves one.
                gate.SignalAndWait(TimeSpan.FromSeconds(60), ct);
            }

            return Task.CompletedTask;
        };
        var runs = await Task.WhenAll(Enumerable.Range(1, 2).Select(n => Task.Run(() => runner.RunAsync(Programs.Invoke(Programs.Good, $"[{n}]"), ct), ct)));

        Assert.Equal(3, liveAfterIdle);
        Assert.Equal([RunOutcome.Ok, RunOutcome.Ok], runs.Select(r => r.Outcome));
        Assert.Equal(["[1]", "[1,4]"], runs.Select(r => r.Output));
        Assert.Equal(warm, used.Order().ToArray());
        Assert.Equal(3, runner.Pool.WorkersStarted);
    }
}
