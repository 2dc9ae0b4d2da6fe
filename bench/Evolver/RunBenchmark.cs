using System.Diagnostics;
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
    public static async Task RunAsync(string provider, int evaluations, int concurrency)
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
            new RunSettings { MaxEvaluations = evaluations, Islands = 4, ProposalConcurrency = concurrency, EvaluationConcurrency = concurrency },
            "bench",
            CancellationToken.None);

        var checkpoints = new SortedDictionary<long, (double? Best, double Seconds)>();
        Run current;
        while (true)
        {
            await Task.Delay(500);
            await using var db = await contexts.CreateDbContextAsync();
            current = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == run.Id);
            foreach (var mark in new long[] { 100, 1000, 2000, 5000 }.Where(m => m <= current.Evaluations && !checkpoints.ContainsKey(m)))
            {
                // The best among the first `mark` evaluations, read from the programs themselves.
                var best = await db.Candidates.AsNoTracking()
                    .Where(c => c.RunId == run.Id && c.Correct == true && c.Operator != "migration" && (c.Operator != "seed" || c.Sequence == 1))
                    .OrderBy(c => c.Sequence).Take((int)mark).MaxAsync(c => c.Score);
                checkpoints[mark] = (best, watch.Elapsed.TotalSeconds);
            }

            if (current.Status is not (RunStatus.Pending or RunStatus.Running))
            {
                break;
            }
        }

        var seconds = watch.Elapsed.TotalSeconds;
        await host.StopAsync();
        var stats = current.Statistics;
        Console.WriteLine($"## {provider}, {evaluations} evaluations, concurrency {concurrency}");
        Console.WriteLine($"status: {current.Status} ({current.StatusReason})");
        Console.WriteLine($"wall time: {seconds:F1} s; evaluations/s: {current.Evaluations / seconds:F1}; proposals: {current.Proposals}, rejected: {current.Rejections}");
        foreach (var (mark, (best, at)) in checkpoints)
        {
            Console.WriteLine($"best after {mark} evaluations: {best:F6} (at {at:F0} s)");
        }

        Console.WriteLine($"final best: {current.BestScore:F6}");
        Console.WriteLine($"per evaluation: propose {stats.ProposeMs / current.Evaluations:F2} ms, evaluate {stats.EvaluateMs / current.Evaluations:F2} ms, store {stats.StoreMs / current.Evaluations:F2} ms");
        Console.WriteLine($"engine overhead per iteration (wall x concurrency - evaluation time) / evaluations: {((seconds * 1000 * concurrency) - stats.EvaluateMs) / current.Evaluations:F2} ms");
        Console.WriteLine($"outcomes: {string.Join(", ", stats.Outcomes.Select(o => $"{o.Key}={o.Value}"))}; rejections: {string.Join(", ", stats.Rejections.Select(o => $"{o.Key}={o.Value}"))}");
        Console.WriteLine($"operators: {string.Join(", ", stats.Operators.Select(o => $"{o.Key}: {o.Value.Evaluated} evaluated, {o.Value.Elites} elites, {o.Value.ImprovedOnParent} improved"))}");
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
