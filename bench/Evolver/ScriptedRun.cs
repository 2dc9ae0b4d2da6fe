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

/// <summary>One model call of a scripted run, as stored.</summary>
internal sealed record ScriptedCall(string? Operator, string Outcome, int? InputTokens, decimal? Cost, string? EditOutcome);

/// <summary>A finished scripted run: the run row, its wall time, its stored model calls and its evaluated children.</summary>
internal sealed record ScriptedOutcome(Run Run, double Seconds, IReadOnlyList<ScriptedCall> Calls, int Children)
{
    /// <summary>Improvements on the parent, over every operator.</summary>
    public long Improvements => Run.Statistics.Operators.Values.Sum(o => o.ImprovedOnParent);

    /// <summary>What the stored calls cost together.</summary>
    public decimal Billed => Calls.Sum(c => c.Cost ?? 0m);
}

/// <summary>
/// The real engine and language-model operators against a scripted model on loopback (fixed prices, a 1 s model
/// timeout), on the quadratic problem (an in-process evaluator, no sandbox), on a fresh store of the chosen
/// provider per run, so runs of one bench share nothing but the PostgreSQL server.
/// </summary>
internal sealed partial class ScriptedRun : IAsyncDisposable
{
    public const decimal InputPrice = 1m;
    public const decimal OutputPrice = 4m;

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

    private readonly StoreProvider _provider;
    private readonly PostgresServer? _postgres;
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("evocode-bench-scripted-");

    private ScriptedRun(StoreProvider provider, PostgresServer? postgres)
    {
        _provider = provider;
        _postgres = postgres;
    }

    /// <summary>A bench on <paramref name="provider"/> (sqlite or postgres; PostgreSQL starts its own server).</summary>
    public static async Task<ScriptedRun> StartAsync(string provider)
    {
        var storeProvider = provider == "postgres" ? StoreProvider.Postgres : StoreProvider.Sqlite;
        return new ScriptedRun(storeProvider, storeProvider == StoreProvider.Postgres ? await PostgresServer.StartAsync() : null);
    }

    /// <summary>Runs the quadratic problem with <paramref name="settings"/> (the scripted model is the only one) until the run ends.</summary>
    public async Task<ScriptedOutcome> RunAsync(ScriptedModel script, RunSettings settings, string name)
    {
        var connection = _postgres is not null
            ? await _postgres.CreateDatabaseAsync("evocode_scripted")
            : StoreConfiguration.SqliteConnectionString(Path.Combine(_folder.FullName, $"{Guid.NewGuid():N}.db"));
        var store = new TestStore(_provider, connection);
        await StoreMigrator.MigrateAsync(store, _provider, CancellationToken.None);

        await using var fake = await FakeLlmServer.StartAsync();
        fake.Responder = script.Answer;
        await using var provided = Services(store, fake.OpenAIEndpoint);
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
            settings with { Models = new Dictionary<string, double> { ["scripted"] = 1 } },
            name,
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
            var calls = await db.ModelCalls.AsNoTracking().Where(c => c.RunId == run.Id).OrderBy(c => c.Id)
                .Select(c => new ScriptedCall(c.Operator, c.Outcome, c.InputTokens, c.Cost, c.EditOutcome)).ToListAsync();
            var children = await db.Candidates.AsNoTracking().CountAsync(c => c.RunId == run.Id && c.Model != null && c.Operator != "migration" && c.State != CandidateState.Pending);
            return new ScriptedOutcome(done, seconds, calls, children);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        _folder.Delete(recursive: true);
    }

    private static ServiceProvider Services(TestStore store, Uri endpoint)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Engine:PollInterval"] = "00:00:00.100",
            ["LanguageModels:Models:0:Name"] = "scripted",
            ["LanguageModels:Models:0:Provider"] = "openai",
            ["LanguageModels:Models:0:Endpoint"] = endpoint.ToString(),
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
        return services.BuildServiceProvider();
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
