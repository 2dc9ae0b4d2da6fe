using System.Diagnostics;

namespace EvoCode.Sandbox.Worker.Execution;

/// <summary>
/// A limit counted in CPU time of this (jailed, single-request) worker process, so a loaded machine does not
/// turn a good program into a time-limit verdict, with a generous wall-clock backstop for a program that
/// blocks without using CPU. The pool's kill comes only after the backstop.
/// </summary>
internal sealed class CpuBudget
{
    private readonly TimeSpan _cpuAtStart = Environment.CpuUsage.TotalTime;
    private readonly Stopwatch _wall = Stopwatch.StartNew();

    public CpuBudget(TimeSpan limit, double backstopFactor)
    {
        Limit = limit;
        Backstop = (limit * backstopFactor) + TimeSpan.FromSeconds(5);
    }

    public TimeSpan Limit { get; }

    public TimeSpan Backstop { get; }

    public TimeSpan CpuUsed => Environment.CpuUsage.TotalTime - _cpuAtStart;

    public TimeSpan Elapsed => _wall.Elapsed;

    public bool Exceeded => CpuUsed > Limit || _wall.Elapsed > Backstop;

    /// <summary>Which of the two limits ended the budget, for the verdict's message.</summary>
    public string Describe(string what) =>
        CpuUsed > Limit
            ? $"{what} exceeded its time limit of {Limit.TotalSeconds:0.###} s of CPU time."
            : $"{what} did not end within {Backstop.TotalSeconds:0.###} s of wall-clock time (the backstop of its {Limit.TotalSeconds:0.###} s CPU limit).";

    /// <summary>A token cancelled when the budget runs out (checked every 20 ms); dispose the returned timer with the work.</summary>
    public (CancellationTokenSource Source, Timer Timer) Watch()
    {
        var source = new CancellationTokenSource();
        var timer = new Timer(
            _ =>
            {
                if (Exceeded)
                {
                    try
                    {
                        source.Cancel();
                    }
                    catch (ObjectDisposedException)
                    {
                        // The work ended first.
                    }
                }
            },
            null,
            TimeSpan.FromMilliseconds(20),
            TimeSpan.FromMilliseconds(20));
        return (source, timer);
    }
}
