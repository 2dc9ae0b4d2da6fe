using System.Globalization;
using System.Text.Json;

namespace EvoCode.Bench.Evolver;

/// <summary>
/// First evaluations against steady state on the published server (ReadyToRun, pool and server warm-up), as a
/// user meets it: the run starts as soon as <c>/health/ready</c> answers 200. Built-in operators, one proposal and
/// one evaluation at a time, circle packing n = 26; the per-evaluation wall of evaluations 1–100 is compared with
/// that of the last 100, and each part of the time split likewise (from the programs' own timings).
/// </summary>
internal static class WarmBenchmark
{
    private static readonly string[] s_parts = ["selectMs", "proposeMs", "screenMs", "storeMs", "queueMs", "compileMs", "runMs", "scoreMs", "commitMs"];

    public static async Task RunAsync(int evaluations)
    {
        await using var api = await PublishedApi.StartAsync(new Dictionary<string, string?>());
        var ready = api.Ready;
        var problem = await api.PostAsync("/api/problems/examples/circle-packing-26", new { });
        var run = await api.PostAsync("/api/runs", new
        {
            problemId = problem.GetProperty("id").GetGuid(),
            settings = new { maxEvaluations = evaluations, islands = 4, proposalConcurrency = 1, evaluationConcurrency = 1 },
        });
        var runId = run.GetProperty("id").GetGuid();
        var warm = await WarmupAsync(api);
        while (true)
        {
            var current = await api.GetAsync($"/api/runs/{runId}");
            if (current.GetProperty("status").GetString() is not ("Pending" or "Running"))
            {
                break;
            }

            await Task.Delay(1000);
        }

        var finished = await api.GetAsync($"/api/runs/{runId}");
        var startedAt = finished.GetProperty("startedAt").GetDateTimeOffset();
        var programs = new List<JsonElement>();
        for (var page = 1; ; page++)
        {
            var items = (await api.GetAsync($"/api/runs/{runId}/programs?sort=sequence&order=asc&pageSize=500&page={page}")).GetProperty("items");
            programs.AddRange(items.EnumerateArray());
            if (items.GetArrayLength() < 500)
            {
                break;
            }
        }

        // Evaluated programs in the order they were evaluated; island copies carry their original's evaluation.
        var evaluated = programs
            .Where(p => p.GetProperty("state").GetString() == "Evaluated" && p.GetProperty("operator").GetString() != "migration" && !(p.GetProperty("operator").GetString() == "seed" && p.GetProperty("sequence").GetInt64() != 1))
            .OrderBy(p => p.GetProperty("evaluatedAt").GetDateTimeOffset())
            .ToList();
        var at = evaluated.Select(p => p.GetProperty("evaluatedAt").GetDateTimeOffset()).ToList();
        var window = Math.Min(100, evaluated.Count / 3);
        var first = (at[window - 1] - startedAt).TotalMilliseconds / window;
        var steady = (at[^1] - at[^(window + 1)]).TotalMilliseconds / window;
        Console.WriteLine($"## warm start, {evaluated.Count} evaluations (status {finished.GetProperty("status").GetString()}), {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine($"server ready (/health/ready 200) after {ready.TotalSeconds:F1} s; warm-up: {warm}");
        Console.WriteLine($"per evaluation, wall: first {window}: {first:F1} ms; last {window}: {steady:F1} ms; ratio {first / steady:F2}");

        var firstParts = await PartsAsync(api, evaluated.Take(window));
        var lastParts = await PartsAsync(api, evaluated.Skip(evaluated.Count - window));
        Console.WriteLine("| part | first 100 (ms) | last 100 (ms) |");
        foreach (var part in s_parts)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {part} | {firstParts[part]:F1} | {lastParts[part]:F1} |"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| sum | {firstParts.Values.Sum():F1} | {lastParts.Values.Sum():F1} |"));
    }

    /// <summary>The warm-up's state once it ended (or "still warming" after a minute).</summary>
    private static async Task<string> WarmupAsync(PublishedApi api)
    {
        for (var i = 0; i < 600; i++)
        {
            var warmup = (await api.GetAsync("/health/ready")).GetProperty("checks").GetProperty("warmup");
            if (warmup.GetProperty("status").GetString() == "healthy")
            {
                return warmup.ToString();
            }

            await Task.Delay(100);
        }

        return "still warming after 60 s";
    }

    private static async Task<Dictionary<string, double>> PartsAsync(PublishedApi api, IEnumerable<JsonElement> programs)
    {
        var sums = s_parts.ToDictionary(p => p, _ => 0.0);
        var count = 0;
        foreach (var program in programs)
        {
            var timings = (await api.GetAsync($"/api/programs/{program.GetProperty("id").GetGuid()}")).GetProperty("timings");
            foreach (var part in s_parts)
            {
                sums[part] += timings.GetProperty(part).GetDouble();
            }

            count++;
        }

        return sums.ToDictionary(s => s.Key, s => s.Value / Math.Max(1, count));
    }
}
