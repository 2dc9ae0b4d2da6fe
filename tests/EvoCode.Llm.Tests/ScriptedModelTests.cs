using EvoCode.Evolver.Llm;
using EvoCode.FakeLlm;
using Microsoft.Extensions.AI;

namespace EvoCode.Llm.Tests;

/// <summary>The usage the scripted model of the benches reports, as the engine books it (bench "scripted" and "scripted-prompts").</summary>
public sealed class ScriptedModelTests
{
    private static readonly ScriptedMix AlwaysGood = new(Good: 1, Bad: 0, Garbage: 0, Slow: 0, SlowDelay: TimeSpan.Zero);

    private static readonly ChatMessage[] Messages =
    [
        new(ChatRole.System, "You are an expert C# programmer taking part in an evolutionary search."),
        new(ChatRole.User, "Make X() find x = 3 and y = -1.\n```csharp\ndouble x = 1.0;\n```"),
    ];

    [Fact]
    public async Task CompleteAsync_ScriptedModelCountingItsRequests_BillsTheTokenizersCountOfTheMessagesItReceived()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: ct);
        var log = new RecordingCallLog();
        using var catalog = TestModels.Catalog(log, 1, TestModels.Model(fake, ModelProvider.OpenAI));

        // The bench's count: the messages as the fake read them off the wire, counted as the engine counts a prompt.
        fake.Responder = new ScriptedModel(AlwaysGood, inputTokens: r => TokenCounter.CountPrompt([.. r.Messages.Select(m => new ChatMessage(new ChatRole(m.Role), m.Content))])).Answer;

        var reply = await catalog["m1"].CompleteAsync(Messages, new ModelCallContext(TestModels.RunId, "diff"), ct);

        // The texts' tokens (o200k_base), 4 of framing per message and 3 for the reply's priming.
        Assert.Equal((14, 27), (TokenCounter.Count(Messages[0].Text), TokenCounter.Count(Messages[1].Text)));
        Assert.Equal(52, TokenCounter.CountPrompt(Messages));
        Assert.Equal((52, 150, false), (reply.InputTokens, reply.OutputTokens, reply.UsageEstimated));
        Assert.Equal((52 * 2m / 1_000_000m) + (150 * 8m / 1_000_000m), reply.Cost);
        Assert.Equal(52, Assert.Single(log.Records).InputTokens);
    }

    [Fact]
    public async Task CompleteAsync_ScriptedModelWithoutCounter_BillsTheMixsFixedInputTokens()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: ct);
        var log = new RecordingCallLog();
        using var catalog = TestModels.Catalog(log, 1, TestModels.Model(fake, ModelProvider.OpenAI));
        fake.Responder = new ScriptedModel(AlwaysGood).Answer;

        var reply = await catalog["m1"].CompleteAsync(Messages, new ModelCallContext(TestModels.RunId, "diff"), ct);

        Assert.Equal((1200, 150, false), (reply.InputTokens, reply.OutputTokens, reply.UsageEstimated));
        Assert.Equal(1200, Assert.Single(log.Records).InputTokens);
    }
}
