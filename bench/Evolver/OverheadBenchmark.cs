using System.Diagnostics;
using EvoCode.Evaluators.Catalog;
using EvoCode.Evaluators.Contract;
using EvoCode.Evaluators.Examples;
using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Engine;
using EvoCode.Evolver.Persistence;
using EvoCode.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EvoCode.Bench.Evolver;

/// <summary>
/// Engine overhead per iteration with the evaluation excluded: the real engine and store, built-in operators, no
/// compile screen, one proposal and one evaluation in flight, and an evaluator that scores the source without running
/// it. An iteration's time is the gap between consecutive evaluations (stored <c>EvaluatedAt</c>), taken in windows
/// ending at each mark (1k, 10k, ... programs in the run).
/// </summary>
internal static class OverheadBenchmark
{
    public static async Task RunAsync(string provider, int programs)
    {
        await using var postgres = provider == "postgres" ? await PostgresServer.StartAsync() : null;
        var folder = Directory.CreateTempSubdirectory("evocode-overhead-");
        var settings = new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = folder.FullName,
            ["Engine:PollInterval"] = "00:00:00.200",
            ["Engine:CompileScreen"] = "false",
        };
        if (postgres is not null)
        {
            settings["ConnectionStrings:Postgres"] = await postgres.CreateDatabaseAsync("evocode_overhead");
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<ICandidateRunner, NoRunner>();
        builder.Services.AddEvoCodeEvolver(builder.Configuration);
        var example = ExampleLibrary.Load(Path.Combine(RunBenchmark.FindRoot(), "examples", "circle-packing-26"));
        var problem = ExampleProblems.ToProblem(example, DateTimeOffset.UnixEpoch);
        var inner = new CatalogEvaluatorResolver(EvaluatorCatalog.Default).Resolve(problem);
        builder.Services.AddSingleton<IEvaluatorResolver>(new InstantResolver(new InstantEvaluator(inner.Descriptor)));
        using var host = builder.Build();
        await host.StartAsync();

        var contexts = host.Services.GetRequiredService<IDbContextFactory<EvoCodeDbContext>>();
        await using (var db = await contexts.CreateDbContextAsync())
        {
            db.Problems.Add(problem);
            await db.SaveChangesAsync();
        }

        var watch = Stopwatch.StartNew();
        var run = await host.Services.GetRequiredService<RunControl>().StartAsync(
            problem.Id,
            new RunSettings { MaxEvaluations = programs, Islands = 4, ProposalConcurrency = 1, EvaluationConcurrency = 1 },
            "overhead",
            CancellationToken.None);
        Run current;
        while (true)
        {
            await Task.Delay(1000);
            await using var db = await contexts.CreateDbContextAsync();
            current = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == run.Id);
            if (current.Status is not (RunStatus.Pending or RunStatus.Running))
            {
                break;
            }
        }

        var seconds = watch.Elapsed.TotalSeconds;
        await host.StopAsync();
        List<DateTimeOffset> times;
        await using (var db = await contexts.CreateDbContextAsync())
        {
            times = [.. (await db.Candidates.AsNoTracking().Where(c => c.RunId == run.Id && c.EvaluatedAt != null && c.Operator != "migration")
                .Select(c => c.EvaluatedAt!.Value).ToListAsync()).Order()];
        }

        Console.WriteLine($"## overhead, {provider}, {programs} programs: {current.Status} ({current.StatusReason}); {current.Evaluations} evaluations, {current.Proposals} proposals ({current.Rejections} screened out) in {seconds:F1} s");
        var stats = current.Statistics;
        Console.WriteLine($"per evaluation: select {stats.SelectMs / current.Evaluations:F2} ms, propose {stats.ProposeMs / current.Evaluations:F2} ms, screen {stats.ScreenMs / current.Evaluations:F2} ms, evaluate {stats.EvaluateMs / current.Evaluations:F2} ms, store {stats.StoreMs / current.Evaluations:F2} ms, commit {stats.CommitMs / current.Evaluations:F2} ms");
        Console.WriteLine($"screened out: {string.Join(", ", stats.Rejections.OrderByDescending(r => r.Value).Select(r => $"{r.Key} {r.Value}"))}");
        Console.WriteLine("| programs in the run | iterations in window | p50 | p95 |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var mark in new[] { 1_000, 10_000, 100_000 }.Where(m => m <= times.Count))
        {
            var window = Math.Min(500, mark - 1);
            var gaps = Enumerable.Range(mark - window, window).Select(i => (times[i] - times[i - 1]).TotalMilliseconds).Order().ToList();
            Console.WriteLine($"| {mark:N0} | {window} | {gaps[gaps.Count / 2]:F2} ms | {gaps[(int)(gaps.Count * 0.95)]:F2} ms |");
        }

        folder.Delete(recursive: true);
    }

    private sealed class InstantResolver(IEvaluator evaluator) : IEvaluatorResolver
    {
        public IEvaluator Resolve(Problem problem) => evaluator;
    }

    /// <summary>Scores a source from its hash, runs nothing: the evaluation costs microseconds.</summary>
    private sealed class InstantEvaluator(EvaluatorDescriptor descriptor) : IEvaluator
    {
        public EvaluatorDescriptor Descriptor { get; } = descriptor with { Features = [] };

        public Task<EvaluationResult> EvaluateAsync(string source, ICandidateRunner runner, EvaluationContext context, CancellationToken cancellationToken)
        {
            var score = 1 + ((uint)StringComparer.Ordinal.GetHashCode(source) % 100_000 / 100_000.0);
            return Task.FromResult(new EvaluationResult
            {
                Correct = true,
                Score = score,
                Metrics = Descriptor.Metrics.ToDictionary(m => m.Name, _ => score),
            });
        }
    }

    private sealed class NoRunner : ICandidateRunner
    {
        public Task<CandidateRun> RunAsync(CandidateInvocation invocation, CancellationToken cancellationToken) => throw new InvalidOperationException("The overhead benchmark runs nothing.");

        public Task<CommandRun> RunCommandAsync(CommandInvocation invocation, CancellationToken cancellationToken) => throw new InvalidOperationException("The overhead benchmark runs nothing.");
    }
}
