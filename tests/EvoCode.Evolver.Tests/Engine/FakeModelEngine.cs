using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Engine;
using EvoCode.Evolver.Llm;
using EvoCode.Evolver.Persistence;
using EvoCode.FakeLlm;
using EvoCode.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EvoCode.Evolver.Tests.Engine;

/// <summary>The real engine with the language-model operators, talking to a fake model on loopback at fixed prices.</summary>
internal sealed class FakeModelEngine : IAsyncDisposable
{
    public const decimal InputPrice = 1.5m;
    public const decimal OutputPrice = 6m;
    public const int MaxOutputTokens = 256;

    private FakeModelEngine(FakeLlmServer fake, EngineHarness harness, Problem problem)
    {
        Fake = fake;
        Harness = harness;
        Problem = problem;
    }

    public FakeLlmServer Fake { get; }

    public EngineHarness Harness { get; }

    public Problem Problem { get; }

    /// <summary>A diff that applies to every program of the quadratic problem and makes the evaluator crash: a failed child, new for each <paramref name="variant"/>.</summary>
    public static string BadDiff(int variant) => $"<<<<<<< SEARCH\n        return x + y;\n=======\n        throw new System.InvalidOperationException(\"bad {variant}\");\n>>>>>>> REPLACE\n";

    /// <summary>A diff whose SEARCH text is in no program: the edit never applies.</summary>
    public static string DiffThatNeverApplies { get; } = "<<<<<<< SEARCH\nthis line is not in the program\n=======\nnothing\n>>>>>>> REPLACE\n";

    public static async Task<FakeModelEngine> StartAsync(StoreFixture stores, StoreProvider provider, CancellationToken ct)
    {
        var fake = await FakeLlmServer.StartAsync(cancellationToken: ct);
        var settings = new Dictionary<string, string?>
        {
            ["LanguageModels:Models:0:Name"] = "fake",
            ["LanguageModels:Models:0:Provider"] = "openai",
            ["LanguageModels:Models:0:Endpoint"] = fake.OpenAIEndpoint.ToString(),
            ["LanguageModels:Models:0:Model"] = "fake-model",
            ["LanguageModels:Models:0:InputPricePerMillion"] = InputPrice.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["LanguageModels:Models:0:OutputPricePerMillion"] = OutputPrice.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["LanguageModels:Models:0:MaxTokens"] = MaxOutputTokens.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["LanguageModels:Models:0:MaxConcurrency"] = "8",
            ["LanguageModels:Models:0:Timeout"] = "00:00:30",
            ["LanguageModels:Retry:BaseDelay"] = "00:00:00.050",
        };
        var store = await stores.CreateStoreAsync(provider, ct);
        var harness = new EngineHarness(
            store,
            new QuadraticEvaluator(),
            (services, configuration) =>
            {
                services.AddSingleton<IModelCallLog>(new DbModelCallLog(store));
                services.AddEvoCodeLanguageModels(configuration);
                services.AddSingleton<IOperatorSource, LanguageModelOperatorSource>();
            },
            settings);
        var problem = await harness.AddProblemAsync(QuadraticEvaluator.Seed, ct);
        await harness.StartAsync(ct);
        return new FakeModelEngine(fake, harness, problem);
    }

    /// <summary>Starts a run on the fake model and waits for its end.</summary>
    public async Task<Run> RunAsync(RunSettings settings, CancellationToken ct)
    {
        var run = await Harness.Control.StartAsync(Problem.Id, settings with { Models = new Dictionary<string, double> { ["fake"] = 1 } }, "fake model", ct);
        return await Harness.WaitForEndAsync(run.Id, TimeSpan.FromSeconds(180), ct);
    }

    public async Task<List<ModelCall>> CallsAsync(Guid runId, CancellationToken ct)
    {
        await using var db = Harness.Store.CreateDbContext();
        return await db.ModelCalls.AsNoTracking().Where(c => c.RunId == runId).ToListAsync(ct);
    }

    /// <summary>What the fake model billed: every answer it sent with usage, at the fixed prices.</summary>
    public (long Tokens, decimal Cost) Bill()
    {
        var billed = Fake.Answers.Where(a => a.Status is null && a.InputTokens is not null).ToList();
        return (
            billed.Sum(a => (long)a.InputTokens!.Value + a.OutputTokens!.Value),
            billed.Sum(a => ((a.InputTokens!.Value * InputPrice) + (a.OutputTokens!.Value * OutputPrice)) / 1_000_000m));
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.DisposeAsync();
        await Fake.DisposeAsync();
    }
}
