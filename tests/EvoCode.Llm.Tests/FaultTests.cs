using EvoCode.Evolver.Llm;
using EvoCode.FakeLlm;
using Microsoft.Extensions.AI;

namespace EvoCode.Llm.Tests;

public sealed class FaultTests
{
    private static readonly ModelCallContext Context = new(TestModels.RunId, "diff");

    public static TheoryData<string, bool> Providers => new()
    {
        { ModelProvider.OpenAI, false },
        { ModelProvider.Azure, true },
        { ModelProvider.Ollama, false },
        { ModelProvider.Ollama, true },
    };

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task CompleteAsync_RateLimitedWithRetryAfter_WaitsAsToldThenSucceeds(string provider, bool streaming)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: ct);
        var log = new RecordingCallLog();
        using var catalog = TestModels.Catalog(log, 4, TestModels.Model(fake, provider, streaming));
        fake.Enqueue(FakeStep.RateLimited(1), FakeStep.Reply("ok now", 10, 3));

        var reply = await catalog["m1"].CompleteAsync([new ChatMessage(ChatRole.User, "hi")], Context, ct);

        Assert.Equal("ok now", reply.Text);
        Assert.Equal((10, 3), (reply.InputTokens, reply.OutputTokens));
        Assert.Collection(
            log.Records,
            r => Assert.Equal((ModelCallOutcome.Http(429), 1, (TimeSpan?)TimeSpan.FromSeconds(1), (int?)null, (decimal?)null), (r.Outcome, r.Attempt, r.RetryDelay, r.InputTokens, r.Cost)),
            r => Assert.Equal((ModelCallOutcome.Ok, 2, (TimeSpan?)null), (r.Outcome, r.Attempt, r.RetryDelay)));
        Assert.Equal(2, fake.Requests.Count);
    }

    [Fact]
    public async Task CompleteAsync_ServerErrorThenReply_RetriesWithBackoffAndSucceeds()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: ct);
        var log = new RecordingCallLog();
        using var catalog = TestModels.Catalog(log, 4, TestModels.Model(fake, ModelProvider.OpenAI));
        fake.Enqueue(FakeStep.ServerError(), FakeStep.ServerError(), FakeStep.Reply("fine", 5, 2));

        var reply = await catalog["m1"].CompleteAsync([new ChatMessage(ChatRole.User, "hi")], Context, ct);

        Assert.Equal("fine", reply.Text);
        Assert.Equal([ModelCallOutcome.Http(500), ModelCallOutcome.Http(500), ModelCallOutcome.Ok], log.Records.Select(r => r.Outcome));
        Assert.All(log.Records.Take(2), r => Assert.InRange(r.RetryDelay!.Value, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(50)));
    }

    [Fact]
    public async Task CompleteAsync_ServerErrorEveryTime_StopsAfterMaxAttemptsWithReason()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: ct);
        var log = new RecordingCallLog();
        using var catalog = TestModels.Catalog(log, 3, TestModels.Model(fake, ModelProvider.Ollama));
        fake.Enqueue(FakeStep.ServerError(), FakeStep.ServerError(), FakeStep.ServerError(), FakeStep.Reply("never", 1, 1));

        var reply = await catalog["m1"].CompleteAsync([new ChatMessage(ChatRole.User, "hi")], Context, ct);

        Assert.False(reply.HasText);
        Assert.Contains("http-500 after 3 attempt(s)", reply.Error, StringComparison.Ordinal);
        Assert.Equal(3, log.Records.Count);
        Assert.Equal(1, fake.PendingSteps);
    }

    [Theory]
    [InlineData(ModelProvider.OpenAI)]
    [InlineData(ModelProvider.Azure)]
    [InlineData(ModelProvider.Ollama)]
    public async Task CompleteAsync_ReplySlowerThanTimeout_RecordsTimeoutsAndGivesUpBounded(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: ct);
        var log = new RecordingCallLog();
        var model = TestModels.Model(fake, provider);

        // Long enough that a loaded machine still gets each request to the server before the client gives up on it.
        model.Timeout = TimeSpan.FromSeconds(2);
        using var catalog = TestModels.Catalog(log, 2, model);
        fake.Enqueue(FakeStep.Slow(TimeSpan.FromSeconds(60)), FakeStep.Slow(TimeSpan.FromSeconds(60)));

        var reply = await catalog["m1"].CompleteAsync([new ChatMessage(ChatRole.User, "hi")], Context, ct);

        Assert.False(reply.HasText);
        Assert.Equal([ModelCallOutcome.Timeout, ModelCallOutcome.Timeout], log.Records.Select(r => r.Outcome));
        Assert.Contains("timeout after 2 attempt(s)", reply.Error, StringComparison.Ordinal);
        await WaitUntil(() => fake.AbortedRequests == 2, ct);
    }

    [Theory]
    [InlineData(ModelProvider.OpenAI, false)]
    [InlineData(ModelProvider.OpenAI, true)]
    [InlineData(ModelProvider.Ollama, false)]
    [InlineData(ModelProvider.Ollama, true)]
    public async Task CompleteAsync_TruncatedReply_IsFlaggedAndRecorded(string provider, bool streaming)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: ct);
        var log = new RecordingCallLog();
        using var catalog = TestModels.Catalog(log, 3, TestModels.Model(fake, provider, streaming));
        fake.Enqueue(FakeStep.Truncated("<<<<<<< SEARCH\n    radii[i] = 0.", 50, 4096));

        var reply = await catalog["m1"].CompleteAsync([new ChatMessage(ChatRole.User, "hi")], Context, ct);

        Assert.True(reply.Truncated);
        Assert.Equal(4096, reply.OutputTokens);
        Assert.Equal(ModelCallOutcome.Truncated, Assert.Single(log.Records).Outcome);
    }

    [Theory]
    [InlineData(ModelProvider.OpenAI)]
    [InlineData(ModelProvider.Azure)]
    [InlineData(ModelProvider.Ollama)]
    public async Task CompleteAsync_StreamDroppedMidReply_IsFlaggedTruncatedWithEstimatedUsage(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: ct);
        var log = new RecordingCallLog();
        using var catalog = TestModels.Catalog(log, 3, TestModels.Model(fake, provider, streaming: true));
        fake.Enqueue(FakeStep.Cut("<<<<<<< SEARCH\n    radii[i] = 0.05;\n=======\n"));

        var reply = await catalog["m1"].CompleteAsync([new ChatMessage(ChatRole.User, "hi")], Context, ct);

        var output = TokenCounter.Count("<<<<<<< SEARCH\n    radii[i] = 0.05;\n=======\n");
        Assert.Equal((true, (int?)output, true), (reply.Truncated, reply.OutputTokens, reply.UsageEstimated));
        var record = Assert.Single(log.Records);
        Assert.Equal((ModelCallOutcome.Truncated, (int?)output, true), (record.Outcome, record.OutputTokens, record.UsageEstimated));
    }

    [Theory]
    [InlineData(ModelProvider.OpenAI, false)]
    [InlineData(ModelProvider.Azure, true)]
    [InlineData(ModelProvider.Ollama, false)]
    public async Task CompleteAsync_MalformedJson_FailsWithReasonWithoutRetry(string provider, bool streaming)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: ct);
        var log = new RecordingCallLog();
        using var catalog = TestModels.Catalog(log, 3, TestModels.Model(fake, provider, streaming));
        fake.Enqueue(FakeStep.MalformedJson());

        var reply = await catalog["m1"].CompleteAsync([new ChatMessage(ChatRole.User, "hi")], Context, ct);

        Assert.False(reply.HasText);
        Assert.Equal(ModelCallOutcome.Malformed, reply.Outcome);
        var record = Assert.Single(log.Records);
        Assert.Equal(ModelCallOutcome.Malformed, record.Outcome);
        Assert.False(string.IsNullOrWhiteSpace(record.Error));
    }

    [Theory]
    [InlineData(ModelProvider.OpenAI)]
    [InlineData(ModelProvider.Azure)]
    [InlineData(ModelProvider.Ollama)]
    public async Task CompleteAsync_CallerCancels_ThrowsAndAbortsTheRequest(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: ct);
        var log = new RecordingCallLog();
        using var catalog = TestModels.Catalog(log, 3, TestModels.Model(fake, provider));
        fake.Enqueue(FakeStep.Slow(TimeSpan.FromSeconds(60)));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => catalog["m1"].CompleteAsync([new ChatMessage(ChatRole.User, "hi")], Context, cancel.Token));

        Assert.Equal(ModelCallOutcome.Cancelled, Assert.Single(log.Records).Outcome);
        Assert.Single(fake.Requests);
        await WaitUntil(() => fake.AbortedRequests == 1, ct);
    }

    [Fact]
    public async Task CompleteAsync_RetryAfterLongerThanCap_FailsInsteadOfStalling()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: ct);
        var log = new RecordingCallLog();
        var options = new LanguageModelOptions
        {
            Models = [TestModels.Model(fake, ModelProvider.OpenAI)],
            Retry = new ModelRetryOptions { MaxAttempts = 3, MaxRetryAfter = TimeSpan.FromSeconds(5) },
        };
        using var catalog = new LanguageModelCatalog(options, log, TimeProvider.System, v => v == TestModels.KeyVariable ? TestModels.Key : null);
        fake.Enqueue(FakeStep.RateLimited(3600));

        var reply = await catalog["m1"].CompleteAsync([new ChatMessage(ChatRole.User, "hi")], Context, ct);

        Assert.False(reply.HasText);
        Assert.Contains("exceeds", reply.Error, StringComparison.Ordinal);
        Assert.Single(fake.Requests);
    }

    // The server notices the client left only when its delay is interrupted; poll briefly for it.
    private static async Task WaitUntil(Func<bool> condition, CancellationToken ct)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(50, ct);
        }

        Assert.True(condition(), "The fake server never saw the request aborted.");
    }
}
