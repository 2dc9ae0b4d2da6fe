using EvoCode.Evaluators.Contract;
using EvoCode.Evolver.Llm;
using EvoCode.Evolver.Mutation;
using EvoCode.FakeLlm;

namespace EvoCode.Llm.Tests;

public sealed class OperatorTests
{
    private const string GoodDiff = "<<<<<<< SEARCH\n            radii[i] = 0.05;\n=======\n            radii[i] = 0.06;\n>>>>>>> REPLACE\n";
    private const string BadDiff = "<<<<<<< SEARCH\n            radii[i] = 0.5;\n=======\n            radii[i] = 0.06;\n>>>>>>> REPLACE\n";

    [Fact]
    public async Task Diff_ReplyApplies_ReturnsChildWithExactUsageAndRecordsTheEdit()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: ct);
        var log = new RecordingCallLog();
        using var catalog = TestModels.Catalog(log, 3, TestModels.Model(fake, ModelProvider.OpenAI));
        var run = Run(catalog);
        fake.Enqueue(FakeStep.Reply(GoodDiff, 900, 60));

        var proposal = await run[DiffOperator.OperatorName].ProposeAsync(TestModels.Request(), ct);

        Assert.True(proposal.Succeeded, proposal.Error);
        Assert.Contains("radii[i] = 0.06;", proposal.Source, StringComparison.Ordinal);
        Assert.Equal(("diff", "m1", 900, 60, (900 * 2m / 1_000_000m) + (60 * 8m / 1_000_000m)), (proposal.Operator, proposal.Model, proposal.InputTokens!.Value, proposal.OutputTokens!.Value, proposal.Cost!.Value));
        Assert.Equal(GoodDiff, proposal.Reply);
        Assert.Contains("radii[i] = 0.05;", proposal.Prompt, StringComparison.Ordinal);
        var record = Assert.Single(log.Records);
        Assert.Equal(("applied", 900, "diff"), (record.EditOutcome, record.InputTokens!.Value, record.Operator));
    }

    [Fact]
    public async Task Diff_FirstReplyDoesNotApply_SendsReasonBackThenSucceeds()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: ct);
        var log = new RecordingCallLog();
        using var catalog = TestModels.Catalog(log, 3, TestModels.Model(fake, ModelProvider.Ollama, streaming: true));
        var run = Run(catalog);
        fake.Enqueue(FakeStep.Reply(BadDiff, 900, 60), FakeStep.Reply(GoodDiff, 1000, 50));

        var proposal = await run[DiffOperator.OperatorName].ProposeAsync(TestModels.Request(), ct);

        Assert.True(proposal.Succeeded, proposal.Error);
        Assert.Equal((1900, 110), (proposal.InputTokens!.Value, proposal.OutputTokens!.Value));
        var second = fake.Requests[1];
        Assert.Equal(["system", "user", "assistant", "user"], second.Messages.Select(m => m.Role));
        Assert.Equal(BadDiff, second.Messages[2].Content);
        Assert.Contains("was not found", second.Messages[3].Content, StringComparison.Ordinal);
        Assert.Equal(["edit-failed", "applied"], log.Records.Select(r => r.EditOutcome!.Split(':')[0]));
    }

    [Fact]
    public async Task Diff_NeverApplies_FailsCleanlyAfterBoundedRetries()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: ct);
        var log = new RecordingCallLog();
        using var catalog = TestModels.Catalog(log, 3, TestModels.Model(fake, ModelProvider.Azure));
        var run = Run(catalog, new LanguageModelRunSettings { EditRetries = 2 });
        fake.Enqueue(FakeStep.Reply(BadDiff, 10, 10), FakeStep.Reply(BadDiff, 10, 10), FakeStep.Reply(BadDiff, 10, 10), FakeStep.Reply(GoodDiff, 10, 10));

        var proposal = await run[DiffOperator.OperatorName].ProposeAsync(TestModels.Request(), ct);

        Assert.False(proposal.Succeeded);
        Assert.StartsWith("edit-failed:", proposal.Error, StringComparison.Ordinal);
        Assert.Contains("not found", proposal.Error, StringComparison.Ordinal);
        Assert.Equal(3, fake.Requests.Count);
        Assert.Equal((30, 30), (proposal.InputTokens!.Value, proposal.OutputTokens!.Value));
        Assert.Equal(3, log.Records.Count);
    }

    [Fact]
    public async Task Diff_TruncatedReply_IsSentBackAsTruncatedThenSucceeds()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: ct);
        var log = new RecordingCallLog();
        using var catalog = TestModels.Catalog(log, 3, TestModels.Model(fake, ModelProvider.OpenAI, streaming: true));
        var run = Run(catalog);
        fake.Enqueue(FakeStep.Truncated(GoodDiff, 900, 4096), FakeStep.Reply(GoodDiff, 950, 40));

        var proposal = await run[DiffOperator.OperatorName].ProposeAsync(TestModels.Request(), ct);

        Assert.True(proposal.Succeeded, proposal.Error);
        Assert.Contains("cut off", fake.Requests[1].Messages[^1].Content, StringComparison.Ordinal);
        Assert.Equal([ModelCallOutcome.Truncated, ModelCallOutcome.Ok], log.Records.Select(r => r.Outcome));
    }

    [Fact]
    public async Task Diff_DoesNotCompile_SendsDiagnosticsBackThenSucceeds()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: ct);
        var log = new RecordingCallLog();
        using var catalog = TestModels.Catalog(log, 3, TestModels.Model(fake, ModelProvider.OpenAI));
        var check = new ScriptedCheck([new SourceDiagnostic("CS0103", "The name 'radiu' does not exist in the current context", 9, 17)], []);
        var run = Run(catalog, check: check);
        fake.Enqueue(FakeStep.Reply(GoodDiff, 10, 10), FakeStep.Reply(GoodDiff.Replace("0.06", "0.07", StringComparison.Ordinal), 10, 10));

        var proposal = await run[DiffOperator.OperatorName].ProposeAsync(TestModels.Request(), ct);

        Assert.True(proposal.Succeeded, proposal.Error);
        Assert.Contains("0.07", proposal.Source, StringComparison.Ordinal);
        Assert.Contains("CS0103", fake.Requests[1].Messages[^1].Content, StringComparison.Ordinal);
        Assert.Equal(2, check.Calls);
        Assert.StartsWith("compile-failed", log.Records[0].EditOutcome, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_CancelledDuringCompileCheck_StillRecordsTheCallWithItsTokens()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: ct);
        var log = new RecordingCallLog();
        using var catalog = TestModels.Catalog(log, 3, TestModels.Model(fake, ModelProvider.OpenAI));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var run = Run(catalog, check: new CancellingCheck(cancel));
        fake.Enqueue(FakeStep.Reply(GoodDiff, 321, 12));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run[DiffOperator.OperatorName].ProposeAsync(TestModels.Request(), cancel.Token));

        var record = Assert.Single(log.Records);
        Assert.Equal((321, 12), (record.InputTokens!.Value, record.OutputTokens!.Value));
        Assert.StartsWith("cancelled", record.EditOutcome, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_CompileCheckThrows_FailsWithReasonAndDoesNotThrow()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: ct);
        var log = new RecordingCallLog();
        using var catalog = TestModels.Catalog(log, 3, TestModels.Model(fake, ModelProvider.OpenAI));
        var run = Run(catalog, check: new ThrowingCheck());
        fake.Enqueue(FakeStep.Reply(GoodDiff, 5, 5));

        var proposal = await run[DiffOperator.OperatorName].ProposeAsync(TestModels.Request(), ct);

        Assert.False(proposal.Succeeded);
        Assert.Contains("sandbox unavailable", proposal.Error, StringComparison.Ordinal);
        Assert.StartsWith("check-failed", Assert.Single(log.Records).EditOutcome, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_MalformedReply_FailsWithReasonAndDoesNotThrow()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: ct);
        using var catalog = TestModels.Catalog(new RecordingCallLog(), 3, TestModels.Model(fake, ModelProvider.OpenAI));
        fake.Enqueue(FakeStep.MalformedJson());

        var proposal = await Run(catalog)[DiffOperator.OperatorName].ProposeAsync(TestModels.Request(), ct);

        Assert.False(proposal.Succeeded);
        Assert.Contains(ModelCallOutcome.Malformed, proposal.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_WhitespaceTolerantMatch_IsRecordedWithTheCall()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: ct);
        var log = new RecordingCallLog();
        using var catalog = TestModels.Catalog(log, 3, TestModels.Model(fake, ModelProvider.OpenAI));
        fake.Enqueue(FakeStep.Reply("<<<<<<< SEARCH\nradii[i] = 0.05;\n=======\nradii[i] = 0.06;\n>>>>>>> REPLACE\n", 10, 10));

        var proposal = await Run(catalog)[DiffOperator.OperatorName].ProposeAsync(TestModels.Request(), ct);

        Assert.True(proposal.Succeeded, proposal.Error);
        Assert.Contains("            radii[i] = 0.06;", proposal.Source, StringComparison.Ordinal);
        Assert.Contains("indentation-tolerant", Assert.Single(log.Records).EditOutcome, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rewrite_FullProgramReply_ReplacesTheBlockOnly()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: ct);
        using var catalog = TestModels.Catalog(new RecordingCallLog(), 3, TestModels.Model(fake, ModelProvider.Ollama));
        var rewritten = TestModels.Seed.Replace("radii[i] = 0.05;", "radii[i] = 0.5 / n;", StringComparison.Ordinal);
        fake.Enqueue(FakeStep.Reply($"New approach:\n```csharp\n{rewritten}```\n", 10, 10));

        var proposal = await Run(catalog)[RewriteOperator.OperatorName].ProposeAsync(TestModels.Request(), ct);

        Assert.True(proposal.Succeeded, proposal.Error);
        Assert.Equal(rewritten, proposal.Source);
        Assert.Contains("complete program", fake.Requests[0].PromptText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Crossover_ShowsBothParents_AndNeedsTheSecond()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: ct);
        using var catalog = TestModels.Catalog(new RecordingCallLog(), 3, TestModels.Model(fake, ModelProvider.OpenAI));
        var crossover = Run(catalog)[CrossoverOperator.OperatorName];
        var other = TestModels.Seed.Replace("radii[i] = 0.05;", "radii[i] = 0.04 + (0.001 * i);", StringComparison.Ordinal);
        var combined = TestModels.Seed.Replace("radii[i] = 0.05;", "radii[i] = 0.05 + (0.001 * i);", StringComparison.Ordinal);
        fake.Enqueue(FakeStep.Reply($"```csharp\n{combined}```", 10, 10));

        var missing = await crossover.ProposeAsync(TestModels.Request(), ct);
        var proposal = await crossover.ProposeAsync(TestModels.Request(second: new ParentProgram(Guid.NewGuid(), other, 1.1, new Dictionary<string, double>())), ct);

        Assert.True(crossover.NeedsSecondParent);
        Assert.False(missing.Succeeded);
        Assert.True(proposal.Succeeded, proposal.Error);
        Assert.Equal(combined, proposal.Source);
        var prompt = Assert.Single(fake.Requests).PromptText;
        Assert.Contains("radii[i] = 0.05;", prompt, StringComparison.Ordinal);
        Assert.Contains("radii[i] = 0.04 + (0.001 * i);", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fix_FailedParent_PromptCarriesErrorAndFeedback()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: ct);
        using var catalog = TestModels.Catalog(new RecordingCallLog(), 3, TestModels.Model(fake, ModelProvider.OpenAI));
        var run = Run(catalog);
        var request = TestModels.Request(error: "IndexOutOfRangeException at Radii", feedback: "circle 3 lies outside the square");
        fake.Enqueue(FakeStep.Reply(GoodDiff, 10, 10));

        var proposal = await run[FixOperator.OperatorName].ProposeAsync(request, ct);

        Assert.Equal(FixOperator.OperatorName, proposal.Operator);
        Assert.True(proposal.Succeeded, proposal.Error);
        var prompt = fake.Requests[0].PromptText;
        Assert.Contains("IndexOutOfRangeException at Radii", prompt, StringComparison.Ordinal);
        Assert.Contains("circle 3 lies outside the square", prompt, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Prompt_TargetValue_AppearsOnlyWhenTheProblemAsks(bool showTarget)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: ct);
        using var catalog = TestModels.Catalog(new RecordingCallLog(), 3, TestModels.Model(fake, ModelProvider.OpenAI));
        var settings = new LanguageModelRunSettings { Prompts = new PromptSettings { TargetValue = 2.635, ShowTarget = showTarget } };
        var request = TestModels.Request(feedback: "sum of radii 1.3, target 2.635") with
        {
            TaskDescription = "Pack 26 circles; the best known sum is 2.635.",
            Failures = [new FailureGroup("fell short of 2.635", 1, 0, ["diff: tried 2.635 as the sum"])],
            MetaSummary = "Aim for 2.635.",
        };
        fake.Enqueue(FakeStep.Reply(GoodDiff, 10, 10));

        await Run(catalog, settings)[DiffOperator.OperatorName].ProposeAsync(request, ct);

        var prompt = fake.Requests[0].PromptText;
        Assert.Equal(showTarget, prompt.Contains("2.635", StringComparison.Ordinal));
        Assert.Contains("sum of radii 1.3", prompt, StringComparison.Ordinal);
    }

    private static LanguageModelRun Run(LanguageModelCatalog catalog, LanguageModelRunSettings? settings = null, ICodeCheck? check = null) =>
        new LanguageModelOperatorFactory(catalog, check).CreateRun(settings ?? new LanguageModelRunSettings(), TestModels.RunId, "Pack circles.");

    private sealed class CancellingCheck(CancellationTokenSource source) : ICodeCheck
    {
        public async Task<IReadOnlyList<SourceDiagnostic>> CheckAsync(string source1, CancellationToken ct)
        {
            await source.CancelAsync();
            ct.ThrowIfCancellationRequested();
            return [];
        }
    }

    private sealed class ThrowingCheck : ICodeCheck
    {
        public Task<IReadOnlyList<SourceDiagnostic>> CheckAsync(string source, CancellationToken ct) =>
            throw new InvalidOperationException("sandbox unavailable");
    }

    private sealed class ScriptedCheck(params IReadOnlyList<SourceDiagnostic>[] answers) : ICodeCheck
    {
        public int Calls { get; private set; }

        public Task<IReadOnlyList<SourceDiagnostic>> CheckAsync(string source, CancellationToken ct) =>
            Task.FromResult(answers[Math.Min(Calls++, answers.Length - 1)]);
    }
}
