using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EvoCode.Evaluators.Examples;

namespace EvoCode.Bench.Evolver;

/// <summary>
/// Problem submission while a run evaluates on every worker (issue 18): the published server on loopback, a
/// circle-packing run whose evaluations each hold a worker (the example's seed, with busy work in its fixed
/// <c>Pack</c>, outside the evolve block, so no built-in operator changes it) with evaluation concurrency = workers,
/// and meanwhile <c>POST /api/problems</c> of new circle-packing problems (each seed a distinct source, so no kept
/// compilation answers it; each runs the compile screen on the compile lane), first one at a time, then four at a
/// time. The same submissions with no run first, for comparison. Prints the latencies and the run's evaluations and
/// evaluation time (compile + run + score, summed over the slots) in each phase.
/// </summary>
internal static class SubmissionBenchmark
{
    private const string Entry = "public static double[][] Pack(int n) => Construct(n);";

    public static async Task RunAsync(int posts, int spin)
    {
        var workers = Environment.ProcessorCount;
        Console.WriteLine($"## problem submission while a run evaluates, {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC, /proc/loadavg {File.ReadAllText("/proc/loadavg").Trim()}");
        await using var api = await PublishedApi.StartAsync(new Dictionary<string, string?> { ["Sandbox__Workers"] = workers.ToString(CultureInfo.InvariantCulture) });
        var seed = ExampleLibrary.Load(Path.Combine(RunBenchmark.FindRoot(), "examples", "circle-packing-26")).Seed;
        if (!seed.Contains(Entry, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The circle-packing-26 seed's entry point changed; update the bench.");
        }

        // Busy work that keeps the worker for a while on every evaluation; its sum is positive, so Construct runs.
        var busy = seed.Replace(Entry, $$"""
            public static double[][] Pack(int n) => Spin({{spin}}) > 0 ? Construct(n) : [];

                // The load test's busy work: outside the evolve block, so every child keeps it.
                private static double Spin(int steps)
                {
                    var sum = 0.0;
                    for (var k = 1; k <= steps; k++)
                    {
                        sum += Math.Sqrt(k);
                    }

                    return sum;
                }
            """, StringComparison.Ordinal);
        var idle = await SubmitAsync(api, seed, "idle", posts, 1);
        Console.WriteLine(Row("no run, one at a time", idle, null));

        var busyProblem = await api.PostAsync("/api/problems", Problem("busy-run", busy));
        var run = await api.PostAsync("/api/runs", new
        {
            problemId = busyProblem.GetProperty("id").GetGuid(),
            settings = new { maxEvaluations = 1_000_000, islands = 2, proposalConcurrency = workers, evaluationConcurrency = workers },
        });
        var runPath = $"/api/runs/{run.GetProperty("id").GetGuid()}";
        var started = Stopwatch.StartNew();
        while ((await api.GetAsync(runPath)).GetProperty("evaluations").GetInt64() < 2 * workers)
        {
            if (started.Elapsed > TimeSpan.FromMinutes(10))
            {
                throw new TimeoutException($"The run did not reach {2 * workers} evaluations within 10 minutes.");
            }

            await Task.Delay(500);
        }

        var warm = await api.GetAsync(runPath);
        Console.WriteLine($"run warm after {started.Elapsed.TotalSeconds:F1} s: {warm.GetProperty("evaluations").GetInt64()} evaluations, {warm.GetProperty("statistics").GetProperty("evaluateMs").GetDouble() / warm.GetProperty("evaluations").GetInt64():F0} ms of evaluation each");
        foreach (var (name, inFlight) in new[] { ("sequential", 1), ("four-at-a-time", 4) })
        {
            var before = await api.GetAsync(runPath);
            var clock = Stopwatch.StartNew();
            var latencies = await SubmitAsync(api, seed, name, posts, inFlight);
            var wall = clock.Elapsed;
            var after = await api.GetAsync(runPath);
            Console.WriteLine(Row($"run evaluating on {workers} workers, {inFlight} in flight", latencies, (before, after, wall, workers)));
        }

        Console.WriteLine($"/proc/loadavg after: {File.ReadAllText("/proc/loadavg").Trim()}; run status: {(await api.GetAsync(runPath)).GetProperty("status").GetString()}");
    }

    /// <summary>Posts <paramref name="posts"/> problems, each seed a distinct source, <paramref name="inFlight"/> at a time; the sorted latencies in ms.</summary>
    private static async Task<List<double>> SubmitAsync(PublishedApi api, string seed, string tag, int posts, int inFlight)
    {
        var latencies = new List<double>();
        await Parallel.ForEachAsync(Enumerable.Range(0, posts), new ParallelOptions { MaxDegreeOfParallelism = inFlight }, async (i, _) =>
        {
            var body = Problem($"submit-{tag}-{i}", seed + $"\n// submission {tag} {i}\n");
            var start = Stopwatch.GetTimestamp();
            await api.PostAsync("/api/problems", body);
            var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            lock (latencies)
            {
                latencies.Add(ms);
            }
        });
        latencies.Sort();
        return latencies;
    }

    private static object Problem(string name, string seed) => new
    {
        name,
        title = "Circle packing, n = 26",
        description = "Place 26 circles in the unit square maximizing the sum of their radii.",
        seed,
        evaluator = new { id = "circle-packing", parameters = new { n = 26, tolerance = "strict" } },
    };

    private static string Row(string phase, List<double> sorted, (JsonElement Before, JsonElement After, TimeSpan Wall, int Workers)? run)
    {
        var latency = string.Create(CultureInfo.InvariantCulture, $"| {phase}, {sorted.Count} POSTs | {Samples.Percentile(sorted, 0.50):0} / {Samples.Percentile(sorted, 0.95):0} / {sorted[^1]:0} ms |");
        if (run is not { } r)
        {
            return latency + " |";
        }

        var evaluations = (r.Before.GetProperty("evaluations").GetInt64(), r.After.GetProperty("evaluations").GetInt64());
        var evaluating = r.After.GetProperty("statistics").GetProperty("evaluateMs").GetDouble() - r.Before.GetProperty("statistics").GetProperty("evaluateMs").GetDouble();
        return latency + string.Create(CultureInfo.InvariantCulture, $" {evaluations.Item1} → {evaluations.Item2} evaluations in {r.Wall.TotalSeconds:F1} s; evaluation time {evaluating / 1000:F1} s = {evaluating / (r.Wall.TotalMilliseconds * r.Workers):P0} of {r.Workers} workers |");
    }
}
