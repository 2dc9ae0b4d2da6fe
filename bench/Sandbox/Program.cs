using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EvoCode.Evaluators.Contract;
using EvoCode.Sandbox;
using EvoCode.Sandbox.Configuration;

// Sandbox benchmark: cold start, warm compile+run latency, and throughput with 1 and 2 workers, under
// full (bubblewrap) isolation. Prints a Markdown table for bench/README.md.
var latencyRuns = Arg(args, 0, 200);
var throughputRuns = Arg(args, 1, 300);

const string Trivial = """
    using System;
    using System.Linq;
    using EvoCode.Evaluators.Contract;

    public static class Candidate
    {
        public static int Run(int n, HarnessContext context) => Enumerable.Range(0, n).Sum(i => i * i);
    }
    """;

var parameters = JsonDocument.Parse("""{"type":"Candidate","method":"Run","args":[100]}""").RootElement.Clone();
var limits = new RunLimits(TimeSpan.FromSeconds(2), 256L * 1024 * 1024, 64 * 1024);
var lines = new List<string>();

// Cold start: jail probe + first worker warm, then the first evaluation.
var clock = Stopwatch.StartNew();
await using (var cold = await SandboxRunner.StartNewAsync(Options(1)))
{
    await cold.WaitUntilWarmAsync(CancellationToken.None);
    var warm = clock.Elapsed;
    var first = await Evaluate(cold);
    lines.Add($"| cold start: jail probe + worker start + warm-up (1 worker) | {warm.TotalMilliseconds:0} ms |");
    lines.Add($"| first evaluation on a freshly warmed worker | {first.TotalMilliseconds:0} ms |");
    lines.Add($"| isolation | {cold.IsolationLevel} |");
}

await using (var one = await SandboxRunner.StartNewAsync(Options(1)))
{
    await one.WaitUntilWarmAsync(CancellationToken.None);
    for (var i = 0; i < 10; i++)
    {
        await Evaluate(one);
    }

    var samples = new List<double>();
    for (var i = 0; i < latencyRuns; i++)
    {
        samples.Add((await Evaluate(one)).TotalMilliseconds);
    }

    samples.Sort();
    lines.Add($"| warm compile+run latency, 1 worker, {latencyRuns} sequential runs: p50 | {Percentile(samples, 0.50):0.0} ms |");
    lines.Add($"| warm compile+run latency: p95 | {Percentile(samples, 0.95):0.0} ms |");
    lines.Add($"| warm compile+run latency: max (includes worker recycles) | {samples[^1]:0.0} ms |");
    lines.Add($"| throughput, 1 worker, {throughputRuns} runs | {await Throughput(one, 1):0.0} evaluations/s |");
}

await using (var two = await SandboxRunner.StartNewAsync(Options(2)))
{
    await two.WaitUntilWarmAsync(CancellationToken.None);
    await Throughput(two, 2);
    lines.Add($"| throughput, 2 workers, {throughputRuns} runs, 2 in flight | {await Throughput(two, 2):0.0} evaluations/s |");
}

Console.WriteLine("| measure | value |");
Console.WriteLine("|---|---|");
foreach (var line in lines)
{
    Console.WriteLine(line);
}

return 0;

SandboxOptions Options(int workers) => new()
{
    Workers = workers,
    Isolation = SandboxIsolationMode.Bubblewrap,
    RequireFullIsolation = true,
};

async Task<TimeSpan> Evaluate(SandboxRunner runner)
{
    var start = Stopwatch.GetTimestamp();
    var run = await runner.RunAsync(new CandidateInvocation(Trivial, "invoke", parameters, limits), CancellationToken.None);
    if (run.Outcome != RunOutcome.Ok || run.Output != "328350")
    {
        throw new InvalidOperationException($"Unexpected result: {run.Outcome} {run.Output} {run.Error}");
    }

    return Stopwatch.GetElapsedTime(start);
}

async Task<double> Throughput(SandboxRunner runner, int inFlight)
{
    var start = Stopwatch.GetTimestamp();
    await Parallel.ForEachAsync(Enumerable.Range(0, throughputRuns), new ParallelOptions { MaxDegreeOfParallelism = inFlight }, async (_, _) => await Evaluate(runner));
    return throughputRuns / Stopwatch.GetElapsedTime(start).TotalSeconds;
}

static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

static int Arg(string[] args, int index, int fallback) =>
    args.Length > index && int.TryParse(args[index], CultureInfo.InvariantCulture, out var value) ? value : fallback;
