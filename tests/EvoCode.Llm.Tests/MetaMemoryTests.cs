using EvoCode.Evolver.Llm;
using EvoCode.FakeLlm;

namespace EvoCode.Llm.Tests;

public sealed class MetaMemoryTests
{
    [Fact]
    public async Task SummarizeAsync_RecentPrograms_SendsThemAndReturnsTheNotes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: ct);
        var log = new RecordingCallLog();
        using var catalog = TestModels.Catalog(log, 2, TestModels.Model(fake, ModelProvider.OpenAI));
        var run = new LanguageModelOperatorFactory(catalog).CreateRun(new LanguageModelRunSettings(), TestModels.RunId, "Pack circles.");
        fake.Enqueue(FakeStep.Reply("<think>hmm</think>Larger radii near the corners helped; rewrites failed to compile.", 300, 20));

        var notes = await run.MetaMemory.SummarizeAsync(
            "Earlier: constants matter.",
            [
                new MetaMemoryEntry("diff", "m1", 1.4, 1.3, null, "radii[i] = 0.06;"),
                new MetaMemoryEntry("rewrite", "m1", null, 1.3, "CS0103: The name 'radiu' does not exist"),
            ],
            ct);

        Assert.Equal("Larger radii near the corners helped; rewrites failed to compile.", notes);
        var prompt = Assert.Single(fake.Requests).PromptText;
        Assert.Contains("Earlier: constants matter.", prompt, StringComparison.Ordinal);
        Assert.Contains("CS0103", prompt, StringComparison.Ordinal);
        Assert.Contains("radii[i] = 0.06;", prompt, StringComparison.Ordinal);
        var record = Assert.Single(log.Records);
        Assert.Equal(("meta", 300, 20), (record.Operator, record.InputTokens!.Value, record.OutputTokens!.Value));
    }

    [Fact]
    public async Task SummarizeAsync_ModelFails_ReturnsNull()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: ct);
        using var catalog = TestModels.Catalog(new RecordingCallLog(), 1, TestModels.Model(fake, ModelProvider.Ollama));
        var run = new LanguageModelOperatorFactory(catalog).CreateRun(new LanguageModelRunSettings(), TestModels.RunId, "Pack circles.");
        fake.Enqueue(FakeStep.ServerError());

        Assert.Null(await run.MetaMemory.SummarizeAsync(null, [], ct));
    }
}
