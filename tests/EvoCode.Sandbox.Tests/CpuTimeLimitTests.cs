using System.Diagnostics;
using System.Globalization;
using EvoCode.Evaluators.Contract;
using EvoCode.Sandbox.Pool;

namespace EvoCode.Sandbox.Tests;

/// <summary>
/// Limits count CPU time of the jailed worker, so time a loaded machine does not give the worker is not charged
/// to the program. The extreme of load is simulated exactly: the worker's process tree is stopped (SIGSTOP) for
/// longer than the limit in the middle of the compile or the run.
/// </summary>
public sealed class CpuTimeLimitTests
{
    [Theory]
    [InlineData(nameof(ExchangeStep.Sent))]
    [InlineData(nameof(ExchangeStep.Compiled))]
    public async Task WorkerStoppedLongerThanTheLimit_GoodProgramStillEndsOk(string stepName)
    {
        var ct = TestContext.Current.CancellationToken;
        var step = Enum.Parse<ExchangeStep>(stepName);
        var options = PoolOptions.Full(1);
        options.CompileTimeout = TimeSpan.FromSeconds(1);
        await using var runner = await SandboxRunner.StartNewAsync(options, cancellationToken: ct);
        await runner.WaitUntilWarmAsync(ct);
        var stopped = 0;
        runner.Pool.StepHook = async (at, worker) =>
        {
            if (at == step)
            {
                stopped++;
                await SignalTreeAsync(worker.ProcessId, "STOP");
                await Task.Delay(TimeSpan.FromSeconds(3), ct);
                await SignalTreeAsync(worker.ProcessId, "CONT");
            }
        };

        var run = await runner.RunAsync(Programs.Invoke(Programs.Good, "[3]", Programs.ShortLimits with { WallTime = TimeSpan.FromSeconds(1) }), ct);

        Assert.True(run.Outcome == RunOutcome.Ok, $"{run.Outcome}: {run.Error}");
        Assert.Equal("[1,4,9]", run.Output);
        Assert.Equal(1, stopped);
        Assert.Equal(2, runner.Pool.WorkersStarted);
    }

    [Fact]
    public async Task EndlessLoop_EndsAsTimeLimitCountedInCpuTime()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var runner = await SandboxRunner.StartNewAsync(PoolOptions.Full(1), cancellationToken: ct);

        var run = await runner.RunAsync(Programs.Invoke(Programs.Body("long i = 0; while (i >= 0) { i = (i + 1) % 1000; } return i;"), limits: Programs.ShortLimits with { WallTime = TimeSpan.FromSeconds(1) }), ct);

        Assert.Equal(RunOutcome.TimeLimit, run.Outcome);
        Assert.Equal("The run exceeded its time limit of 1 s of CPU time.", run.Error);
    }

    /// <summary>Signals a process and all its descendants (the jail's bubblewrap, its init and the dotnet worker).</summary>
    private static async Task SignalTreeAsync(int root, string signal)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = await File.ReadAllTextAsync(Path.Combine(directory, "stat"));
                var parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
                (children.TryGetValue(parent, out var list) ? list : children[parent] = []).Add(pid);
            }
            catch (IOException)
            {
                // Exited meanwhile.
            }
        }

        var tree = new List<int>();
        var pending = new Stack<int>([root]);
        while (pending.TryPop(out var pid))
        {
            tree.Add(pid);
            foreach (var child in children.GetValueOrDefault(pid, []))
            {
                pending.Push(child);
            }
        }

        var kill = new ProcessStartInfo("/bin/kill") { ArgumentList = { "-" + signal } };
        foreach (var pid in tree)
        {
            kill.ArgumentList.Add(pid.ToString(CultureInfo.InvariantCulture));
        }

        using var process = Process.Start(kill)!;
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
    }
}
