using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EvoCode.Evaluators.Contract;
using EvoCode.Sandbox;

namespace EvoCode.Bench.Sandbox;

/// <summary>
/// Compile checks (what problem submission and the proposal screen cost) while every evaluation worker is busy with
/// CPU-bound runs, against the same checks on an idle pool; and the CPU the warm pool's workers burn while idle.
/// </summary>
internal static class LaneBenchmark
{
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

    public static async Task<IReadOnlyList<string>> RunAsync(SandboxRunner runner, int checks)
    {
        var lines = new List<string>();
        var idleCpu = await IdleCpuAsync(runner, TimeSpan.FromSeconds(10));
        lines.Add($"| CPU of {runner.LiveWorkers} warm workers over 10 s idle | {idleCpu:0} ms |");

        var idle = await ChecksAsync(runner, checks, "idle");
        lines.Add($"| compile check of a new program, idle pool, {checks} checks: p50 / p95 / max | {Percentile(idle, 0.50):0} / {Percentile(idle, 0.95):0} / {idle[^1]:0} ms |");

        using var stop = new CancellationTokenSource();
        var evaluations = 0;
        var parameters = JsonDocument.Parse("""{"type":"Candidate","method":"Run","args":[400]}""").RootElement.Clone();
        var limits = new RunLimits(TimeSpan.FromSeconds(60), 256L * 1024 * 1024, 64 * 1024);
        var load = Enumerable.Range(0, runner.Workers).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await runner.RunAsync(new CandidateInvocation(Busy, "invoke", parameters, limits), CancellationToken.None);
                Interlocked.Increment(ref evaluations);
            }
        })).ToList();
        await Task.Delay(TimeSpan.FromSeconds(2));
        var busy = await ChecksAsync(runner, checks, "busy");
        await stop.CancelAsync();
        await Task.WhenAll(load);
        lines.Add($"| compile check of a new program, all {runner.Workers} evaluation workers busy ({evaluations} CPU-bound runs meanwhile), {checks} checks: p50 / p95 / max | {Percentile(busy, 0.50):0} / {Percentile(busy, 0.95):0} / {busy[^1]:0} ms |");
        return lines;
    }

    private static async Task<List<double>> ChecksAsync(SandboxRunner runner, int checks, string tag)
    {
        var samples = new List<double>();
        for (var i = 0; i < checks; i++)
        {
            var source = Busy.Replace("% 7", $"% {7 + i} + 0 * {tag.Length}", StringComparison.Ordinal) + $"\n// {tag} {i}";
            var start = Stopwatch.GetTimestamp();
            var check = await runner.CheckAsync(source, CancellationToken.None);
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            if (!check.IsOk || check.CompileCacheHit)
            {
                throw new InvalidOperationException($"Unexpected check: {check.Outcome} hit={check.CompileCacheHit} {string.Join("; ", check.Diagnostics)}");
            }
        }

        samples.Sort();
        return samples;
    }

    /// <summary>User + system CPU time of the live workers over <paramref name="window"/>, from /proc (clock ticks of 10 ms).</summary>
    private static async Task<double> IdleCpuAsync(SandboxRunner runner, TimeSpan window)
    {
        var pids = runner.Pool.LiveProcesses().Select(w => w.ProcessId).ToList();
        var before = pids.Sum(Ticks);
        await Task.Delay(window);
        return (pids.Sum(Ticks) - before) * 10.0;
    }

    private static long Ticks(int pid)
    {
        // The worker runs under bwrap; count the whole tree below the pid we started.
        var total = 0L;
        foreach (var task in Descendants(pid).Append(pid))
        {
            var stat = File.ReadAllText($"/proc/{task}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            total += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }

        return total;
    }

    private static IEnumerable<int> Descendants(int pid)
    {
        var children = $"/proc/{pid}/task/{pid}/children";
        if (!File.Exists(children))
        {
            yield break;
        }

        foreach (var child in File.ReadAllText(children).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(c => int.Parse(c, CultureInfo.InvariantCulture)))
        {
            yield return child;
            foreach (var grandchild in Descendants(child))
            {
                yield return grandchild;
            }
        }
    }

    /// <summary>The p-quantile of sorted samples (nearest rank).</summary>
    internal static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
