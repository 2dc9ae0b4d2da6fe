using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EvoCode.Bench.Sandbox;
using EvoCode.Evaluators.Contract;
using EvoCode.Sandbox;
using EvoCode.Sandbox.Configuration;

// Sandbox benchmark: cold start, warm compile+run latency, throughput with 1 and 2 workers, and how long a
// stack overflow takes to end as Crashed, under full (bubblewrap) isolation. Prints a Markdown table for
// bench/README.md. Usage: [latencyRuns=200] [throughputRuns=300] [--uid-base N] [--start-timeout SECONDS]
// [--stack-overflows N] (default 5; 0 skips them; latencyRuns 0 skips everything else) [--checks N] (compile
// checks on the compile lane, idle and with every evaluation worker busy, and the idle pool's CPU; default 0).
// Side by side with OpenEvolve (issue 18): openevolve <folder with their evaluator.py and initial_program.py> [rounds=200]
// [--python /usr/bin/python3] [--example examples/circle-packing-26] [--uid-base N] [--start-timeout SECONDS].
var positional = args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
var latencyRuns = Arg(positional, 0, 200);
var throughputRuns = Arg(positional, 1, 300);
var userIdBase = Option(args, "--uid-base", 61_000);
var startTimeout = TimeSpan.FromSeconds(Option(args, "--start-timeout", 120));
var stackOverflows = Option(args, "--stack-overflows", 5);
var checks = Option(args, "--checks", 0);

if (args.FirstOrDefault() == "openevolve")
{
    if (args.Length < 2 || args[1].StartsWith("--", StringComparison.Ordinal))
    {
        await Console.Error.WriteLineAsync("usage: openevolve <folder with OpenEvolve's examples/circle_packing/evaluator.py and initial_program.py> [rounds=200] [--python PATH] [--example FOLDER]");
        return 2;
    }

    // The pool as the server sizes it: one evaluation worker per core, and the compile lane.
    await using var pool = await SandboxRunner.StartNewAsync(Options(Environment.ProcessorCount));
    await WarmAsync(pool);
    var load = File.ReadAllText("/proc/loadavg").Trim();
    var rows = await OpenEvolveBenchmark.RunAsync(pool, args[1], Arg(args, 2, 200), Text(args, "--python", "/usr/bin/python3"), Text(args, "--example", Path.Combine("examples", "circle-packing-26")));
    Console.WriteLine($"{TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC, /proc/loadavg before: {load}, after: {File.ReadAllText("/proc/loadavg").Trim()}, isolation {pool.IsolationLevel}, {pool.Workers} workers");
    Console.WriteLine("| measure | value |");
    Console.WriteLine("|---|---|");
    rows.ToList().ForEach(Console.WriteLine);
    return 0;
}

const string Recursion = """
    using System;
    using EvoCode.Evaluators.Contract;

    public static class Candidate
    {
        public static int Run(int n, HarnessContext context) => Down(n) + 1;

        private static int Down(int n) => Down(n + 1) + 1;
    }
    """;

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

// latencyRuns = 0 skips latency and throughput (to measure the stack overflows alone).
if (latencyRuns > 0)
{
    // Cold start: jail probe + first worker warm, then the first evaluation.
    var clock = Stopwatch.StartNew();
    await using (var cold = await SandboxRunner.StartNewAsync(Options(1)))
    {
        await WarmAsync(cold);
        var warm = clock.Elapsed;
        var first = await Evaluate(cold);
        lines.Add($"| cold start: jail probe + worker start + warm-up (1 worker) | {warm.TotalMilliseconds:0} ms |");
        lines.Add($"| first evaluation on a freshly warmed worker | {first.TotalMilliseconds:0} ms |");
        lines.Add($"| isolation | {cold.IsolationLevel} |");
    }

    await using (var one = await SandboxRunner.StartNewAsync(Options(1)))
    {
        await WarmAsync(one);
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
        lines.Add($"| warm compile+run latency, 1 worker, {latencyRuns} sequential runs: p50 | {LaneBenchmark.Percentile(samples, 0.50):0.0} ms |");
        lines.Add($"| warm compile+run latency: p95 | {LaneBenchmark.Percentile(samples, 0.95):0.0} ms |");
        lines.Add($"| warm compile+run latency: max (includes worker recycles) | {samples[^1]:0.0} ms |");
        lines.Add($"| throughput, 1 worker, {throughputRuns} runs | {await Throughput(one, 1):0.0} evaluations/s |");
    }

    await using (var two = await SandboxRunner.StartNewAsync(Options(2)))
    {
        await WarmAsync(two);
        await Throughput(two, 2);
        lines.Add($"| throughput, 2 workers, {throughputRuns} runs, 2 in flight | {await Throughput(two, 2):0.0} evaluations/s |");
    }
}

if (stackOverflows > 0)
{
    // Each overflow kills its worker; the next one waits for the replacement to warm up, which is not counted.
    await using var crashing = await SandboxRunner.StartNewAsync(Options(1));
    var samples = new List<double>();
    for (var i = 0; i < stackOverflows; i++)
    {
        await WarmAsync(crashing);
        var start = Stopwatch.GetTimestamp();
        var run = await crashing.RunAsync(new CandidateInvocation(Recursion, "invoke", parameters, limits), CancellationToken.None);
        samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        if (run.Outcome != RunOutcome.Crashed)
        {
            throw new InvalidOperationException($"Unexpected result for unbounded recursion: {run.Outcome} {run.Error}");
        }
    }

    samples.Sort();
    lines.Add($"| stack overflow to `Crashed`, {stackOverflows} runs on a warm worker: median / max | {LaneBenchmark.Percentile(samples, 0.50):0} ms / {samples[^1]:0} ms |");
}

if (checks > 0)
{
    await using var lanes = await SandboxRunner.StartNewAsync(Options(2));
    await WarmAsync(lanes);
    lines.AddRange(await LaneBenchmark.RunAsync(lanes, checks));
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
    SandboxUserIdBase = userIdBase,
    WorkerStartTimeout = startTimeout,
};

// Says what it is waiting for every 5 s (live and idle workers, the last start failure), and gives up after the start timeout.
async Task WarmAsync(SandboxRunner runner)
{
    using var timeout = new CancellationTokenSource(startTimeout);
    var warming = runner.WaitUntilWarmAsync(timeout.Token);
    while (await Task.WhenAny(warming, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None)) != warming)
    {
        Console.Error.WriteLine($"waiting for {runner.Workers} warm workers: {runner.LiveWorkers} live, {runner.IdleWorkers} idle; last start failure: {runner.StartFailure ?? "none"}");
    }

    try
    {
        await warming;
    }
    catch (OperationCanceledException)
    {
        throw new TimeoutException($"No {runner.Workers} warm workers within {startTimeout.TotalSeconds:0} s (--start-timeout): {runner.LiveWorkers} live; last start failure: {runner.StartFailure ?? "none"}");
    }
}

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

static int Option(string[] args, string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
}

static string Text(string[] args, string name, string fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}

static int Arg(string[] args, int index, int fallback) =>
    args.Length > index && int.TryParse(args[index], CultureInfo.InvariantCulture, out var value) ? value : fallback;
