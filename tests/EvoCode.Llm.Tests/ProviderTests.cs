using EvoCode.Evolver.Llm;
using EvoCode.FakeLlm;
using Microsoft.Extensions.AI;

namespace EvoCode.Llm.Tests;

public sealed class ProviderTests
{
    public static TheoryData<string, bool> Providers => new()
    {
        { ModelProvider.OpenAI, false },
        { ModelProvider.OpenAI, true },
        { ModelProvider.Azure, false },
        { ModelProvider.Azure, true },
        { ModelProvider.Ollama, false },
        { ModelProvider.Ollama, true },
    };

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task CompleteAsync_EachProvider_ReturnsTextWithExactUsageAndCost(string provider, bool streaming)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: ct);
        var log = new RecordingCallLog();
        using var catalog = TestModels.Catalog(log, 1, TestModels.Model(fake, provider, streaming));
        fake.Enqueue(FakeStep.Reply("hello from the fake model, long enough to need several stream chunks", 1234, 567));

        var reply = await catalog["m1"].CompleteAsync([new ChatMessage(ChatRole.User, "hi")], new ModelCallContext(TestModels.RunId, "diff"), ct);

        Assert.Equal("hello from the fake model, long enough to need several stream chunks", reply.Text);
        Assert.Equal(1234, reply.InputTokens);
        Assert.Equal(567, reply.OutputTokens);
        var expectedCost = (1234 * 2m / 1_000_000m) + (567 * 8m / 1_000_000m);
        Assert.Equal(expectedCost, reply.Cost);
        var record = Assert.Single(log.Records);
        Assert.Equal((ModelCallOutcome.Ok, 1234, 567, expectedCost, "m1", provider, "diff", TestModels.RunId), (record.Outcome, record.InputTokens, record.OutputTokens, record.Cost, record.Model, record.Provider, record.Operator, record.RunId));

        var request = Assert.Single(fake.Requests);
        Assert.Equal(provider, request.Provider);
        Assert.Equal(streaming, request.Stream);
        Assert.Equal("hi", request.Messages.Single().Content);
        switch (provider)
        {
            case ModelProvider.OpenAI:
                Assert.Equal("/v1/chat/completions", request.Path);
                Assert.Equal("m1-model", request.Model);
                Assert.Equal($"Bearer {TestModels.Key}", request.Headers["Authorization"]);
                Assert.Equal(4096, request.Body["max_completion_tokens"]!.GetValue<int>());
                break;
            case ModelProvider.Azure:
                Assert.Equal("/openai/deployments/m1-model/chat/completions", request.Path);
                Assert.Contains("api-version=", request.Query, StringComparison.Ordinal);
                Assert.Equal(TestModels.Key, request.Headers["api-key"]);
                Assert.False(request.Headers.ContainsKey("Authorization"));
                break;
            default:
                Assert.Equal("/api/chat", request.Path);
                Assert.Equal("m1-model", request.Model);
                Assert.Equal(4096, request.Body["options"]!["num_predict"]!.GetValue<int>());
                Assert.False(request.Headers.ContainsKey("Authorization"));
                break;
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task CompleteAsync_ProviderReportsNoUsage_EstimatesWithTheTokenizerAndMarksItEstimated(string provider, bool streaming)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: ct);
        var log = new RecordingCallLog();
        using var catalog = TestModels.Catalog(log, 1, TestModels.Model(fake, provider, streaming));
        fake.Enqueue(FakeStep.ReplyWithoutUsage("no usage here"));
        ChatMessage[] messages = [new ChatMessage(ChatRole.User, "hi")];

        var reply = await catalog["m1"].CompleteAsync(messages, new ModelCallContext(TestModels.RunId, "diff"), ct);

        var input = TokenCounter.CountPrompt(messages);
        var output = TokenCounter.Count("no usage here");
        var cost = ((input * 2m) + (output * 8m)) / 1_000_000m;
        Assert.Equal(("no usage here", (int?)input, (int?)output, (decimal?)cost, true), (reply.Text, reply.InputTokens, reply.OutputTokens, reply.Cost, reply.UsageEstimated));
        var record = Assert.Single(log.Records);
        Assert.Equal((ModelCallOutcome.Ok, (int?)input, (int?)output, (decimal?)cost, true), (record.Outcome, record.InputTokens, record.OutputTokens, record.Cost, record.UsageEstimated));
    }

    [Fact]
    public async Task CompleteAsync_FreeModelWithoutUsage_CostsZeroWithEstimatedTokens()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: ct);
        var log = new RecordingCallLog();
        var model = TestModels.Model(fake, ModelProvider.Ollama);
        model.InputPricePerMillion = 0;
        model.OutputPricePerMillion = 0;
        using var catalog = TestModels.Catalog(log, 1, model);
        fake.Enqueue(FakeStep.ReplyWithoutUsage("local"));

        var reply = await catalog["m1"].CompleteAsync([new ChatMessage(ChatRole.User, "hi")], new ModelCallContext(TestModels.RunId, "diff"), ct);

        Assert.Equal((0m, (int?)TokenCounter.CountPrompt([new ChatMessage(ChatRole.User, "hi")]), true), (reply.Cost, reply.InputTokens, reply.UsageEstimated));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CompleteAsync_OllamaWithAKeyConfigured_SendsItAsABearerTokenOnEveryRequest(bool streaming)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: ct);
        var model = TestModels.Model(fake, ModelProvider.Ollama, streaming);
        model.ApiKeyVariable = TestModels.KeyVariable;
        using var catalog = TestModels.Catalog(new RecordingCallLog(), 1, model);
        fake.Enqueue(FakeStep.Reply("one", 5, 1), FakeStep.Reply("two", 5, 1));

        await catalog["m1"].CompleteAsync([new ChatMessage(ChatRole.User, "hi")], new ModelCallContext(TestModels.RunId, "diff"), ct);
        await catalog["m1"].CompleteAsync([new ChatMessage(ChatRole.User, "hi")], new ModelCallContext(TestModels.RunId, "diff"), ct);

        Assert.Equal([$"Bearer {TestModels.Key}", $"Bearer {TestModels.Key}"], fake.Requests.Select(r => r.Headers["Authorization"]));
    }

    [Theory]
    [InlineData(ModelProvider.OpenAI)]
    [InlineData(ModelProvider.Azure)]
    [InlineData(ModelProvider.Ollama)]
    public async Task CompleteAsync_StreamSlowerThanTheTimeout_IsATimeoutThatIsRetried(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: ct);
        var log = new RecordingCallLog();
        var model = TestModels.Model(fake, provider, streaming: true);
        model.Timeout = TimeSpan.FromSeconds(2);
        using var catalog = TestModels.Catalog(log, 2, model);
        fake.Enqueue(FakeStep.Slow(TimeSpan.FromSeconds(30)), FakeStep.Reply("in time", 5, 2));

        var reply = await catalog["m1"].CompleteAsync([new ChatMessage(ChatRole.User, "hi")], new ModelCallContext(TestModels.RunId, "diff"), ct);

        Assert.Equal(("in time", false), (reply.Text, reply.Truncated));
        Assert.Equal([ModelCallOutcome.Timeout, ModelCallOutcome.Ok], log.Records.Select(r => r.Outcome));
    }

    [Theory]
    [InlineData(ModelProvider.OpenAI)]
    [InlineData(ModelProvider.Azure)]
    [InlineData(ModelProvider.Ollama)]
    public async Task CompleteAsync_StreamThatStallsMidReply_IsATimeoutThatIsRetriedAndTheConnectionIsClosed(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: ct);
        var log = new RecordingCallLog();
        var model = TestModels.Model(fake, provider, streaming: true);
        model.Timeout = TimeSpan.FromSeconds(2);
        using var catalog = TestModels.Catalog(log, 2, model);
        fake.Enqueue(FakeStep.Stalled(TimeSpan.FromSeconds(60)), FakeStep.Reply("in time", 5, 2));

        var reply = await catalog["m1"].CompleteAsync([new ChatMessage(ChatRole.User, "hi")], new ModelCallContext(TestModels.RunId, "diff"), ct);

        // The partial text is not used and the model is not told it hit a limit: the stall is a timeout, retried.
        Assert.Equal(("in time", false, ModelCallOutcome.Ok), (reply.Text, reply.Truncated, reply.Outcome));
        Assert.Equal([ModelCallOutcome.Timeout, ModelCallOutcome.Ok], log.Records.Select(r => r.Outcome));
        Assert.Null(log.Records[0].Reply);

        // The client closed the stalled connection at its timeout: the server saw it go away long before its 60 s stall ended.
        for (var i = 0; i < 100 && fake.AbortedRequests == 0; i++)
        {
            await Task.Delay(50, ct);
        }

        Assert.Equal(1, fake.AbortedRequests);
    }
}
