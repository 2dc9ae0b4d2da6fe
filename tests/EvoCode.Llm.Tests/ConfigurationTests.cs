using EvoCode.Evolver.Llm;
using EvoCode.FakeLlm;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EvoCode.Llm.Tests;

public sealed class ConfigurationTests
{
    [Fact]
    public void AddEvoCodeLanguageModels_NoModels_RegistersCleanlyAndReportsNoModels()
    {
        using var services = Build(new Dictionary<string, string?>());

        var factory = services.GetRequiredService<ILanguageModelOperatorFactory>();

        Assert.False(factory.HasModels);
        Assert.Equal("no models", factory.Status);
        Assert.Throws<InvalidOperationException>(() => factory.CreateRun(new LanguageModelRunSettings(), Guid.NewGuid(), "task"));
    }

    [Fact]
    public void AddEvoCodeLanguageModels_ModelsInConfiguration_BindsEveryField()
    {
        using var services = Build(new Dictionary<string, string?>
        {
            ["LanguageModels:Models:0:Name"] = "local",
            ["LanguageModels:Models:0:Provider"] = "ollama",
            ["LanguageModels:Models:0:Endpoint"] = "http://127.0.0.1:11434",
            ["LanguageModels:Models:0:Model"] = "qwen2.5-coder:7b",
            ["LanguageModels:Models:0:InputPricePerMillion"] = "0",
            ["LanguageModels:Models:0:OutputPricePerMillion"] = "0",
            ["LanguageModels:Models:0:Timeout"] = "00:10:00",
            ["LanguageModels:Models:0:Streaming"] = "true",
            ["LanguageModels:Models:1:Name"] = "strong",
            ["LanguageModels:Models:1:Provider"] = "openai",
            ["LanguageModels:Models:1:Endpoint"] = "https://api.example.invalid/v1",
            ["LanguageModels:Models:1:Model"] = "big",
            ["LanguageModels:Models:1:InputPricePerMillion"] = "2.5",
            ["LanguageModels:Models:1:OutputPricePerMillion"] = "10",
            ["LanguageModels:Models:1:Temperature"] = "0.3",
            ["LanguageModels:Models:1:MaxTokens"] = "16384",
            ["LanguageModels:Retry:MaxAttempts"] = "6",
        });

        var options = services.GetRequiredService<IOptions<LanguageModelOptions>>().Value;
        var factory = services.GetRequiredService<ILanguageModelOperatorFactory>();

        Assert.Equal(["local", "strong"], factory.ModelNames);
        Assert.Equal((TimeSpan.FromMinutes(10), true, 0m), (options.Models[0].Timeout, options.Models[0].Streaming, options.Models[0].InputPricePerMillion!.Value));
        Assert.Equal((2.5m, 10m, 0.3f, 16384), (options.Models[1].InputPricePerMillion!.Value, options.Models[1].OutputPricePerMillion!.Value, options.Models[1].Temperature!.Value, options.Models[1].MaxTokens));
        Assert.Equal(6, options.Retry.MaxAttempts);
        Assert.Equal(4, factory.CreateRun(new LanguageModelRunSettings(), Guid.NewGuid(), "task").Operators.Count);
    }

    [Fact]
    public void Validate_BadModels_FailsWithEveryReasonAndNoKey()
    {
        using var services = Build(new Dictionary<string, string?>
        {
            ["LanguageModels:Models:0:Name"] = "x",
            ["LanguageModels:Models:0:Provider"] = "anthropic",
            ["LanguageModels:Models:0:Model"] = "m",
            ["LanguageModels:Models:1:Name"] = "x",
            ["LanguageModels:Models:1:Provider"] = "openai",
            ["LanguageModels:Models:1:Endpoint"] = "http://127.0.0.1:1/v1",
            ["LanguageModels:Models:1:Model"] = "m",
            ["LanguageModels:Models:1:ApiKeyVariable"] = "EVOCODE_TEST_UNSET_VARIABLE_9731",
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<LanguageModelOptions>>().Value);

        Assert.Contains("Provider must be one of", error.Message, StringComparison.Ordinal);
        Assert.Contains("Endpoint must be an absolute URL", error.Message, StringComparison.Ordinal);
        Assert.Contains("used twice", error.Message, StringComparison.Ordinal);
        Assert.Contains("EVOCODE_TEST_UNSET_VARIABLE_9731 named by ApiKeyVariable is not set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Catalog_KeyFromEnvironment_IsSentButNeverStoredOrShown()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: ct);
        var log = new RecordingCallLog();
        var definition = TestModels.Model(fake, ModelProvider.OpenAI);
        using var catalog = TestModels.Catalog(log, 2, definition);
        fake.Enqueue(FakeStep.ServerError(), FakeStep.Reply("x", 1, 1));

        await catalog["m1"].CompleteAsync([new Microsoft.Extensions.AI.ChatMessage(Microsoft.Extensions.AI.ChatRole.User, "hi")], new ModelCallContext(Guid.Empty, "diff"), ct);

        Assert.Equal($"Bearer {TestModels.Key}", fake.Requests[0].Headers["Authorization"]);
        Assert.DoesNotContain(TestModels.Key, definition.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(TestModels.Key, System.Text.Json.JsonSerializer.Serialize(definition), StringComparison.Ordinal);
        Assert.All(log.Records, r => Assert.DoesNotContain(TestModels.Key, r.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void CreateRun_UnknownModelInEnsemble_ThrowsNamingTheConfiguredOnes()
    {
        using var catalog = TestModels.Catalog(new RecordingCallLog(), 1, new LanguageModelDefinition { Name = "m1", Provider = ModelProvider.Ollama, Endpoint = new Uri("http://127.0.0.1:9"), Model = "x" });
        var factory = new LanguageModelOperatorFactory(catalog);

        var error = Assert.Throws<ArgumentException>(() => factory.CreateRun(new LanguageModelRunSettings { Ensemble = new EnsembleSettings { Models = new Dictionary<string, double> { ["gpt-9"] = 1 } } }, Guid.NewGuid(), "task"));

        Assert.Contains("gpt-9", error.Message, StringComparison.Ordinal);
        Assert.Contains("configured: m1", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddEvoCodeLanguageModels(configuration).BuildServiceProvider();
    }
}
