using System.Globalization;
using System.Text.RegularExpressions;
using EvoCode.Evaluators.Contract;
using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Engine;
using EvoCode.Evolver.Llm;
using EvoCode.Evolver.Persistence;
using EvoCode.FakeLlm;
using EvoCode.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EvoCode.Bench.Evolver;

/// <summary>
/// What a run buys with a model's money: the real engine and language-model operators against a scripted model
/// on loopback (fixed mix of good diffs, bad diffs, garbage and slow replies, fixed prices), on a store of the
/// chosen provider, until <c>maxCost</c> ends the run. Reported per 1,000 model calls: evaluated children,
/// improvements on the parent, the share of calls spent on fix, dollars per improvement, and the overshoot over
/// maxCost (which must be 0).
/// </summary>
internal static partial class ScriptedModelBenchmark
{
    private const decimal InputPrice = 1m;
    private const decimal OutputPrice = 4m;

    private const string Seed = """
        public static class Candidate
        {
            // EVOLVE-BLOCK-START
            public static double X()
            {
                double x = 1.0;
                double y = 2.0;
                return x + y;
            }
            // EVOLVE-BLOCK-END
        }
        """;

    public static async Task RunAsync(string provider, decimal maxCost, int proposals)
    {
        var storeProvider = provider == "postgres" ? StoreProvider.Postgres : StoreProvider.Sqlite;
        await using var postgres = storeProvider == StoreProvider.Postgres ? await PostgresServer.StartAsync() : null;
        var folder = Directory.CreateTempSubdirectory("evocode-bench-scripted-");
        var connection = postgres is not null ? await postgres.CreateDatabaseAsync("evocode_scripted") : StoreConfiguration.SqliteConnectionString(Path.Combine(folder.FullName, "evocode.db"));
        var store = new TestStore(storeProvider, connection);
        await StoreMigrator.MigrateAsync(store, storeProvider, CancellationToken.None);

        await using var fake = await FakeLlmServer.StartAsync();
        var mix = new ScriptedMix(Good: 0.45, Bad: 0.25, Garbage: 0.2, Slow: 0.1, SlowDelay: TimeSpan.FromSeconds(2));
        var script = new ScriptedModel(mix, seed: 7);
        fake.Responder = script.Answer;

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Engine:PollInterval"] = "00:00:00.100",
            ["LanguageModels:Models:0:Name"] = "scripted",
            ["LanguageModels:Models:0:Provider"] = "openai",
            ["LanguageModels:Models:0:Endpoint"] = fake.OpenAIEndpoint.ToString(),
            ["LanguageModels:Models:0:Model"] = "scripted-model",
            ["LanguageModels:Models:0:InputPricePerMillion"] = InputPrice.ToString(CultureInfo.InvariantCulture),
            ["LanguageModels:Models:0:OutputPricePerMillion"] = OutputPrice.ToString(CultureInfo.InvariantCulture),
            ["LanguageModels:Models:0:MaxTokens"] = "256",
            ["LanguageModels:Models:0:MaxConcurrency"] = "8",
            ["LanguageModels:Models:0:Timeout"] = "00:00:01",
            ["LanguageModels:Retry:BaseDelay"] = "00:00:00.050",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Error).AddConsole());
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<IDbContextFactory<EvoCodeDbContext>>(store);
        services.AddSingleton<IEvaluatorResolver>(new OneEvaluator(new QuadraticFitness()));
        services.AddSingleton<ICandidateRunner, NoRunner>();
        services.AddSingleton<IModelCallLog>(new DbModelCallLog(store));
        services.AddEvoCodeLanguageModels(configuration);
        services.AddSingleton<IOperatorSource, LanguageModelOperatorSource>();
        services.AddEvoCodeEngine(configuration);
        await using var provided = services.BuildServiceProvider();
        var engine = provided.GetRequiredService<EvolutionEngine>();

        var problem = new Problem { Id = Guid.NewGuid(), Name = "quadratic-bench", Description = "Make X() find x = 3 and y = -1.", SeedSource = Seed, EvaluatorId = "quadratic", CreatedAt = DateTimeOffset.UnixEpoch };
        await using (var db = store.CreateDbContext())
        {
            db.Problems.Add(problem);
            await db.SaveChangesAsync();
        }

        await engine.StartAsync(CancellationToken.None);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var run = await provided.GetRequiredService<RunControl>().StartAsync(
            problem.Id,
            new RunSettings { MaxEvaluations = 1_000_000, MaxCost = maxCost, Islands = 2, ProposalConcurrency = proposals, EvaluationConcurrency = 2, Models = new Dictionary<string, double> { ["scripted"] = 1 } },
            "scripted bench",
            CancellationToken.None);
        Run done;
        while (true)
        {
            await Task.Delay(500);
            await using var db = store.CreateDbContext();
            done = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == run.Id);
            if (done.Status is not (RunStatus.Pending or RunStatus.Running))
            {
                break;
            }
        }

        var seconds = watch.Elapsed.TotalSeconds;
        await engine.StopAsync(CancellationToken.None);
        await using (var db = store.CreateDbContext())
        {
            var calls = await db.ModelCalls.AsNoTracking().Where(c => c.RunId == run.Id).Select(c => new { c.Operator, c.Cost, c.Outcome }).ToListAsync();
            var children = await db.Candidates.AsNoTracking().CountAsync(c => c.RunId == run.Id && c.Model != null && c.Operator != "migration" && c.State != CandidateState.Pending);
            var improvements = done.Statistics.Operators.Values.Sum(o => o.ImprovedOnParent);
            var billed = calls.Sum(c => c.Cost ?? 0m);
            var per = 1000.0 / Math.Max(1, calls.Count);
            Console.WriteLine($"## scripted model, {provider}, maxCost ${maxCost.ToString(CultureInfo.InvariantCulture)}, {proposals} proposals in flight");
            Console.WriteLine($"mix good/bad/garbage/slow = {mix.Good}/{mix.Bad}/{mix.Garbage}/{mix.Slow} (slow {mix.SlowDelay.TotalSeconds} s vs 1 s timeout), {mix.InputTokens} in / {mix.OutputTokens} out tokens per reply at ${InputPrice}/${OutputPrice} per million");
            Console.WriteLine($"status: {done.Status} ({done.StatusReason}); wall {seconds:F1} s");
            Console.WriteLine($"model calls: {calls.Count} (sent good {script.Sent.Good}, bad {script.Sent.Bad}, garbage {script.Sent.Garbage}, slow {script.Sent.Slow}); outcomes: {string.Join(", ", calls.GroupBy(c => c.Outcome).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}={g.Count()}"))}");
            Console.WriteLine($"per 1,000 calls: evaluated children {children * per:F1}, improvements {improvements * per:F1}");
            Console.WriteLine($"share of calls on fix: {calls.Count(c => c.Operator == "fix") / (double)Math.Max(1, calls.Count):P1}; operators: {string.Join(", ", calls.GroupBy(c => c.Operator).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}={g.Count()}"))}");
            Console.WriteLine($"cost: run ${done.Cost:F6}, sum of calls ${billed:F6}; dollars per improvement: {(improvements == 0 ? "n/a" : (done.Cost / improvements).ToString("F6", CultureInfo.InvariantCulture))}");
            Console.WriteLine($"overshoot over maxCost: ${Math.Max(0m, Math.Max(done.Cost, billed) - maxCost):F6}");
        }

        folder.Delete(recursive: true);
    }

    private sealed class OneEvaluator(IEvaluator evaluator) : IEvaluatorResolver
    {
        public IEvaluator Resolve(Problem problem) => evaluator;
    }

    private sealed class NoRunner : ICandidateRunner
    {
        public Task<CandidateRun> RunAsync(CandidateInvocation invocation, CancellationToken cancellationToken) => throw new NotSupportedException("The bench evaluator runs nothing.");

        public Task<CommandRun> RunCommandAsync(CommandInvocation invocation, CancellationToken cancellationToken) => throw new NotSupportedException("The bench evaluator runs nothing.");
    }

    /// <summary>Scores -((x - 3)^2 + (y + 1)^2) from the literals; a program without them fails. Runs nothing, so the bench measures the search, not the sandbox.</summary>
    private sealed partial class QuadraticFitness : IEvaluator
    {
        public EvaluatorDescriptor Descriptor { get; } = new("quadratic", "fitness", [new MetricDefinition("fitness", MetricGoal.Maximize)], "public static double X()", ["score"]);

        public Task<EvaluationResult> EvaluateAsync(string source, ICandidateRunner runner, EvaluationContext context, CancellationToken cancellationToken)
        {
            var x = X().Match(source);
            var y = Y().Match(source);
            if (!x.Success || !y.Success)
            {
                return Task.FromResult(EvaluationResult.Incorrect("x or y is no longer a constant.", RunOutcome.Ok));
            }

            var fitness = -(Math.Pow(double.Parse(x.Groups["v"].Value, CultureInfo.InvariantCulture) - 3, 2) + Math.Pow(double.Parse(y.Groups["v"].Value, CultureInfo.InvariantCulture) + 1, 2));
            return Task.FromResult(new EvaluationResult { Correct = true, Score = fitness, Metrics = new Dictionary<string, double> { ["fitness"] = fitness } });
        }

        [GeneratedRegex(@"double x = (?<v>-?[0-9.]+(?:[eE][-+]?[0-9]+)?);")]
        private static partial Regex X();

        [GeneratedRegex(@"double y = (?<v>-?[0-9.]+(?:[eE][-+]?[0-9]+)?);")]
        private static partial Regex Y();
    }
}
