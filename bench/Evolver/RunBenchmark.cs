using System.Diagnostics;
using System.Text.Json;
using EvoCode.Evaluators.Examples;
using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Engine;
using EvoCode.Evolver.Llm;
using EvoCode.Evolver.Persistence;
using EvoCode.Sandbox;
using EvoCode.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EvoCode.Bench.Evolver;

/// <summary>An offline run of circle packing n = 26 from the ring seed, on the real engine, sandbox and store.</summary>
internal static class RunBenchmark
{
    /// <param name="tuningShare">Share of proposals that tune constants (0: off), with 24 trials of at most 8 constants each.</param>
    public static async Task RunAsync(string provider, int evaluations, int concurrency, double tuningShare = 0, int seed = 42)
    {
        var root = FindRoot();
        await using var postgres = provider == "postgres" ? await PostgresServer.StartAsync() : null;
        var folder = Directory.CreateTempSubdirectory("evocode-bench-");
        var settings = new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = folder.FullName,
            ["Sandbox:Workers"] = concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Engine:PollInterval"] = "00:00:00.200",
        };
        if (postgres is not null)
        {
            settings["ConnectionStrings:Postgres"] = await postgres.CreateDatabaseAsync("evocode_bench");
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddEvoCodeSandbox(builder.Configuration);
        builder.Services.AddSingleton<ICodeCheck, SandboxCodeCheck>();
        builder.Services.AddEvoCodeEvolver(builder.Configuration);
        using var host = builder.Build();
        await host.StartAsync();
        await host.Services.GetRequiredService<SandboxRunner>().WaitUntilWarmAsync(CancellationToken.None);

        var example = ExampleLibrary.Load(Path.Combine(root, "examples", "circle-packing-26"));
        var contexts = host.Services.GetRequiredService<IDbContextFactory<EvoCodeDbContext>>();
        var problem = ExampleProblems.ToProblem(example, DateTimeOffset.UnixEpoch);
        await using (var db = await contexts.CreateDbContextAsync())
        {
            db.Problems.Add(problem);
            await db.SaveChangesAsync();
        }

        var watch = Stopwatch.StartNew();
        var run = await host.Services.GetRequiredService<RunControl>().StartAsync(
            problem.Id,
            new RunSettings { MaxEvaluations = evaluations, Islands = 4, ProposalConcurrency = concurrency, EvaluationConcurrency = concurrency, Seed = seed, TuningShare = tuningShare },
            "bench",
            CancellationToken.None);

        Run current;
        while (true)
        {
            await Task.Delay(500);
            await using var db = await contexts.CreateDbContextAsync();
            current = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == run.Id);
            if (current.Status is not (RunStatus.Pending or RunStatus.Running))
            {
                break;
            }
        }

        // The best after N evaluations, from the new-best events, which carry the run's evaluation count (tuning trials included).
        var checkpoints = new SortedDictionary<long, (double? Best, double Seconds)>();
        await using (var db = await contexts.CreateDbContextAsync())
        {
            var bests = (await db.RunEvents.AsNoTracking().Where(e => e.RunId == run.Id && e.Kind == RunEventKinds.NewBest).ToListAsync())
                .Select(e => (Data: JsonDocument.Parse(e.Data).RootElement, e.CreatedAt))
                .Select(e => (Evaluations: e.Data.GetProperty("evaluations").GetInt64(), Score: e.Data.GetProperty("score").GetDouble(), Seconds: (e.CreatedAt - current.StartedAt!.Value).TotalSeconds))
                .ToList();
            foreach (var mark in new long[] { 100, 1000, 2000, 5000 }.Where(m => m <= current.Evaluations))
            {
                var reached = bests.Where(b => b.Evaluations <= mark).ToList();
                checkpoints[mark] = (reached.Max(b => (double?)b.Score), reached.Count == 0 ? 0 : reached.Max(b => b.Seconds));
            }
        }

        var seconds = watch.Elapsed.TotalSeconds;
        await host.StopAsync();
        var stats = current.Statistics;
        Console.WriteLine($"## {provider}, {evaluations} evaluations, concurrency {concurrency}, seed {seed}, tuningShare {tuningShare}");
        Console.WriteLine($"status: {current.Status} ({current.StatusReason})");
        Console.WriteLine($"wall time: {seconds:F1} s; evaluations/s: {current.Evaluations / seconds:F1}; proposals: {current.Proposals}, rejected: {current.Rejections}");
        foreach (var (mark, (best, at)) in checkpoints)
        {
            Console.WriteLine($"best after {mark} evaluations: {best:F6} (at {at:F0} s)");
        }

        Console.WriteLine($"final best: {current.BestScore:F6}");
        var parts = new (string Name, double Ms)[]
        {
            ("start", stats.StartMs), ("select", stats.SelectMs), ("propose", stats.ProposeMs), ("screen", stats.ScreenMs), ("store", stats.StoreMs),
            ("queue", stats.QueueMs), ("compile", stats.CompileMs), ("run", stats.RunMs), ("score", stats.ScoreMs), ("commit", stats.CommitMs),
        };
        Console.WriteLine($"per evaluation: {string.Join(", ", parts.Select(p => $"{p.Name} {p.Ms / current.Evaluations:F2} ms"))}");
        Console.WriteLine($"parts summed over the slots: {parts.Sum(p => p.Ms) / 1000:F1} s = {parts.Sum(p => p.Ms) / (current.ActiveSeconds * 1000):F2} x the active time ({current.ActiveSeconds:F1} s) with {concurrency} slots of each");
        Console.WriteLine($"outcomes: {string.Join(", ", stats.Outcomes.Select(o => $"{o.Key}={o.Value}"))}; rejections: {string.Join(", ", stats.Rejections.Select(o => $"{o.Key}={o.Value}"))}");
        Console.WriteLine($"tuning trials: {stats.TuningEvaluations}");
        Console.WriteLine($"operators: {string.Join(", ", stats.Operators.Select(o => $"{o.Key}: {o.Value.Proposed} proposed, {o.Value.Evaluated} evaluated, {o.Value.Elites} elites, {o.Value.ImprovedOnParent} improved"))}");
        folder.Delete(recursive: true);
    }

    internal static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EvoCode.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run the benchmark from inside the repository.");
    }
}
