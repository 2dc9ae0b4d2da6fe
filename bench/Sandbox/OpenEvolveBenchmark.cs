using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EvoCode.Evaluators.Catalog;
using EvoCode.Evaluators.Contract;
using EvoCode.Evaluators.Examples;
using EvoCode.Evaluators.Problems.CirclePacking;
using EvoCode.Evaluators.Scoring;
using EvoCode.Sandbox;

namespace EvoCode.Bench.Sandbox;

/// <summary>
/// Side by side with OpenEvolve (issue 18): their circle-packing evaluator on their seed, in a long-lived Python
/// driver (openevolve_driver.py, which says what it times), against EvoCode's circle-packing evaluator on the
/// circle-packing-26 example's seed (the same ring construction) through the real pool, interleaved in one process
/// run. EvoCode is timed twice per round: a new source (the seed plus a distinct comment, so it is compiled in the
/// evaluation worker, as a child that skipped the screen would be) and the same source again (its compilation is
/// kept, as after the screen of a real run). Each time is the caller's wait for the evaluation's result. Then the
/// physical floor: the circle-packing scorer on the seed's packing, in process, in a loop.
/// </summary>
internal static class OpenEvolveBenchmark
{
    private const string HowToFetch = "git clone https://github.com/algorithmicsuperintelligence/openevolve, then copy examples/circle_packing/evaluator.py and examples/circle_packing/initial_program.py into one folder";

    public static async Task<IReadOnlyList<string>> RunAsync(SandboxRunner runner, string folder, int rounds, string python, string exampleFolder)
    {
        foreach (var file in new[] { "evaluator.py", "initial_program.py" })
        {
            if (!File.Exists(Path.Combine(folder, file)))
            {
                throw new FileNotFoundException($"No {file} in {folder}. {HowToFetch}.");
            }
        }

        var example = ExampleLibrary.Load(exampleFolder);
        var evaluator = EvaluatorCatalog.Default.Create(example.EvaluatorId, example.EvaluatorParameters);
        using var openEvolve = Driver.Start(python, folder);
        var theirs = new List<double>();
        var theirsInside = new List<double>();
        var fresh = new List<double>();
        var kept = new List<double>();
        EvaluationResult? last = null;

        // Five rounds of warm-up (not counted), then A, B, C, A, B, C, ...
        for (var round = -5; round < rounds; round++)
        {
            var (wait, inside) = await openEvolve.EvaluateAsync();
            var (freshWait, _) = await TimeEvaluationAsync(evaluator, runner, example.Seed + $"\n// bench round {round}\n");
            (var keptWait, last) = await TimeEvaluationAsync(evaluator, runner, example.Seed);
            if (round >= 0)
            {
                theirs.Add(wait);
                theirsInside.Add(inside);
                fresh.Add(freshWait);
                kept.Add(keptWait);
            }
        }

        foreach (var samples in new[] { theirs, theirsInside, fresh, kept })
        {
            samples.Sort();
        }

        var lines = new List<string>
        {
            Row($"OpenEvolve evaluator.py `evaluate()` on initial_program.py, {rounds} evaluations, caller's wait", theirs),
            Row("the same, timed inside the driver (temporary file written → `evaluate()` returned)", theirsInside),
            Row($"EvoCode circle-packing evaluator, seed as a new source each time (compile + run + score), {rounds} evaluations", fresh),
            Row($"EvoCode, the same seed again (compilation kept: load + run + score), {rounds} evaluations", kept),
            Ratio("ratio OpenEvolve / EvoCode new source", theirs, fresh),
            Ratio("ratio OpenEvolve / EvoCode kept compilation", theirs, kept),
        };

        // The floor: scoring the seed's 26 circles in process, nothing else.
        // The rows harness's output shape, {"rows": [[x, y, r], ...]}, around the circles the seed returned.
        var circles = "{\"rows\":" + last!.Artifacts.Single(a => a.Name == "circles").Content + "}";
        var tolerance = example.EvaluatorParameters.TryGetProperty("tolerance", out var t) ? ToleranceModes.Parse(t.GetString() ?? "") : ToleranceMode.Strict;
        var scorer = new CirclePackingScorer(26, tolerance);
        var scored = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(3))
        {
            Check(scorer.Score(circles), "in-process scoring");
            scored++;
        }

        var perSecond = scored / clock.Elapsed.TotalSeconds;
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"| floor: scoring the seed's 26 circles in process (CirclePackingScorer, {scored} scores in 3 s) | {1e6 / perSecond:0.0} µs each = {perSecond:0} scores/s |"));
        return lines;
    }

    private static async Task<(double Ms, EvaluationResult Result)> TimeEvaluationAsync(IEvaluator evaluator, ICandidateRunner runner, string source)
    {
        var start = Stopwatch.GetTimestamp();
        var result = await evaluator.EvaluateAsync(source, runner, new EvaluationContext(), CancellationToken.None);
        var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        return (ms, Check(result, "EvoCode evaluation"));
    }

    private static EvaluationResult Check(EvaluationResult result, string what) =>
        result.Correct && Math.Abs(result.Score - 0.9597642) < 1e-6 ? result : throw new InvalidOperationException($"{what}: expected the seed's 0.9597642, got {result.Correct} {result.Score} {result.Error}");

    private static string Row(string what, List<double> sorted) =>
        string.Create(CultureInfo.InvariantCulture, $"| {what}: p50 / p95 / max | {LaneBenchmark.Percentile(sorted, 0.50):0.0} / {LaneBenchmark.Percentile(sorted, 0.95):0.0} / {sorted[^1]:0.0} ms |");

    private static string Ratio(string what, List<double> a, List<double> b) =>
        string.Create(CultureInfo.InvariantCulture, $"| {what}: of medians / of p95 | {LaneBenchmark.Percentile(a, 0.50) / LaneBenchmark.Percentile(b, 0.50):0.0} × / {LaneBenchmark.Percentile(a, 0.95) / LaneBenchmark.Percentile(b, 0.95):0.0} × |");

    /// <summary>The Python driver: one line in asks for an evaluation, one JSON line out answers it.</summary>
    private sealed class Driver : IDisposable
    {
        private readonly Process _process;

        private Driver(Process process) => _process = process;

        public static Driver Start(string python, string folder)
        {
            var info = new ProcessStartInfo(python) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "openevolve_driver.py"));
            info.ArgumentList.Add(Path.GetFullPath(folder));
            var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {python}.");

            // Their evaluator prints tracebacks to stderr on failures; drain it so it never blocks the driver.
            process.ErrorDataReceived += (_, e) => Console.Error.WriteLine(e.Data is null ? "" : "openevolve: " + e.Data);
            process.BeginErrorReadLine();
            var ready = process.StandardOutput.ReadLine();
            return ready is not null && ready.Contains("ready", StringComparison.Ordinal)
                ? new Driver(process)
                : throw new InvalidOperationException($"The OpenEvolve driver did not start (numpy missing? `apt-get install -y python3-numpy`, and --python pointing at that interpreter): {ready}");
        }

        /// <summary>The caller's wait and the driver's own time, in milliseconds.</summary>
        public async Task<(double Wait, double Inside)> EvaluateAsync()
        {
            var start = Stopwatch.GetTimestamp();
            await _process.StandardInput.WriteLineAsync("evaluate");
            await _process.StandardInput.FlushAsync();
            var line = await _process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("The OpenEvolve driver ended.");
            var wait = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            var answer = JsonDocument.Parse(line).RootElement;
            var metrics = answer.GetProperty("metrics");
            if (metrics.GetProperty("validity").GetDouble() != 1.0 || Math.Abs(metrics.GetProperty("sum_radii").GetDouble() - 0.9597642) > 1e-6)
            {
                throw new InvalidOperationException($"OpenEvolve's evaluator did not score the seed's 0.9597642: {line}");
            }

            return (wait, answer.GetProperty("ms").GetDouble());
        }

        public void Dispose()
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(10_000))
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }
    }
}
