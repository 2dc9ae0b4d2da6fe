using EvoCode.Evolver.Llm;
using EvoCode.Evolver.Mutation;
using EvoCode.FakeLlm;

namespace EvoCode.Llm.Tests;

internal static class TestModels
{
    public const string KeyVariable = "EVOCODE_TEST_LLM_KEY";
    public const string Key = "sk-test-secret-4711";

    public const string Seed = """
        using System;

        public static class Packing
        {
            // EVOLVE-BLOCK-START
            public static double[] Radii(int n)
            {
                var radii = new double[n];
                for (var i = 0; i < n; i++)
                {
                    radii[i] = 0.05;
                }

                return radii;
            }
            // EVOLVE-BLOCK-END

            public static double Total(double[] radii) => radii.Sum();
        }

        """;

    public static LanguageModelDefinition Model(FakeLlmServer fake, string provider, bool streaming = false, string name = "m1") => new()
    {
        Name = name,
        Provider = provider,
        Endpoint = provider == ModelProvider.OpenAI ? fake.OpenAIEndpoint : fake.BaseAddress,
        Model = $"{name}-model",
        ApiKeyVariable = provider == ModelProvider.Ollama ? null : KeyVariable,
        InputPricePerMillion = 2m,
        OutputPricePerMillion = 8m,
        Timeout = TimeSpan.FromSeconds(20),
        Streaming = streaming,
    };

    public static LanguageModelCatalog Catalog(IModelCallLog log, int maxAttempts, params LanguageModelDefinition[] models)
    {
        var options = new LanguageModelOptions
        {
            Models = [.. models],
            Retry = new ModelRetryOptions { MaxAttempts = maxAttempts, BaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(50) },
        };
        return new LanguageModelCatalog(options, log, TimeProvider.System, v => v == KeyVariable ? Key : null);
    }

    public static MutationRequest Request(string? source = null, ParentProgram? second = null, string? error = null, string? feedback = null) => new()
    {
        TaskDescription = "Pack n circles in the unit square to maximise the sum of radii.",
        Parent = new ParentProgram(Guid.NewGuid(), source ?? Seed, error is null ? 1.3 : null, new Dictionary<string, double> { ["overlap"] = 0 }, feedback, error),
        SecondParent = second,
        Random = new Random(7),
        RunId = RunId,
        Generation = 3,
    };

    public static readonly Guid RunId = Guid.Parse("11111111-2222-3333-4444-555555555555");

    public static string Diff(string search, string replace) => $"<<<<<<< SEARCH\n{search}\n=======\n{replace}\n>>>>>>> REPLACE\n";
}
