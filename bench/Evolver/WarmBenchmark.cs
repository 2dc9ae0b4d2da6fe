using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using EvoCode.Testing;

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
        var folder = Directory.CreateTempSubdirectory("evocode-warm-");
        if (!OperatingSystem.IsWindows())
        {
            // The jailed workers run as other users and must reach the server's data folder.
            File.SetUnixFileMode(folder.FullName, (UnixFileMode)0b111_101_101);
        }
        var launched = Stopwatch.StartNew();
        await using var server = await ServerProcess.StartAsync(folder.FullName, new Dictionary<string, string?>(), CancellationToken.None);
        using var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(5) };
        while ((await http.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode != System.Net.HttpStatusCode.OK)
        {
            await Task.Delay(100);
        }

        var ready = launched.Elapsed;
        var problem = await PostAsync(http, "/api/problems/examples/circle-packing-26", new { });
        var run = await PostAsync(http, "/api/runs", new
        {
            problemId = problem.GetProperty("id").GetGuid(),
            settings = new { maxEvaluations = evaluations, islands = 4, proposalConcurrency = 1, evaluationConcurrency = 1 },
        });
        var runId = run.GetProperty("id").GetGuid();
        var warm = await WarmupAsync(http);
        while (true)
        {
            var current = await GetAsync(http, $"/api/runs/{runId}");
            if (current.GetProperty("status").GetString() is not ("Pending" or "Running"))
            {
                break;
            }

            await Task.Delay(1000);
        }

        var finished = await GetAsync(http, $"/api/runs/{runId}");
        var startedAt = finished.GetProperty("startedAt").GetDateTimeOffset();
        var programs = new List<JsonElement>();
        for (var page = 1; ; page++)
        {
            var items = (await GetAsync(http, $"/api/runs/{runId}/programs?sort=sequence&order=asc&pageSize=500&page={page}")).GetProperty("items");
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

        var firstParts = await PartsAsync(http, evaluated.Take(window));
        var lastParts = await PartsAsync(http, evaluated.Skip(evaluated.Count - window));
        Console.WriteLine("| part | first 100 (ms) | last 100 (ms) |");
        foreach (var part in s_parts)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {part} | {firstParts[part]:F1} | {lastParts[part]:F1} |"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| sum | {firstParts.Values.Sum():F1} | {lastParts.Values.Sum():F1} |"));
        try
        {
            folder.Delete(recursive: true);
        }
        catch (IOException)
        {
            // The server may still hold its store for a moment.
        }
    }

    /// <summary>The warm-up's state once it ended (or "still warming" after a minute).</summary>
    private static async Task<string> WarmupAsync(HttpClient http)
    {
        for (var i = 0; i < 600; i++)
        {
            var warmup = (await GetAsync(http, "/health/ready")).GetProperty("checks").GetProperty("warmup");
            if (warmup.GetProperty("status").GetString() == "healthy")
            {
                return warmup.ToString();
            }

            await Task.Delay(100);
        }

        return "still warming after 60 s";
    }

    private static async Task<Dictionary<string, double>> PartsAsync(HttpClient http, IEnumerable<JsonElement> programs)
    {
        var sums = s_parts.ToDictionary(p => p, _ => 0.0);
        var count = 0;
        foreach (var program in programs)
        {
            var timings = (await GetAsync(http, $"/api/programs/{program.GetProperty("id").GetGuid()}")).GetProperty("timings");
            foreach (var part in s_parts)
            {
                sums[part] += timings.GetProperty(part).GetDouble();
            }

            count++;
        }

        return sums.ToDictionary(s => s.Key, s => s.Value / Math.Max(1, count));
    }

    private static async Task<JsonElement> GetAsync(HttpClient http, string path) =>
        await http.GetFromJsonAsync<JsonElement>(new Uri(path, UriKind.Relative));

    private static async Task<JsonElement> PostAsync(HttpClient http, string path, object body)
    {
        using var response = await http.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
