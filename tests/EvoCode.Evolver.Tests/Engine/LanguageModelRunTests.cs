using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Engine;
using EvoCode.Evolver.Llm;
using EvoCode.Evolver.Persistence;
using EvoCode.FakeLlm;
using EvoCode.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EvoCode.Evolver.Tests.Engine;

public sealed class LanguageModelRunTests(StoreFixture stores)
{
    [Theory]
    [MemberData(nameof(StoreFixture.Providers), MemberType = typeof(StoreFixture))]
    public async Task Run_WithAFakeModelThatFaults_CompletesAndStoresEveryCallWithExactUsage(StoreProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: ct);

        // Every fault first; afterwards the fake answers with plausible diffs that nudge a literal.
        fake.Enqueue(
            FakeStep.RateLimited(1),
            FakeStep.ServerError(),
            FakeStep.MalformedJson(),
            FakeStep.Truncated("<<<<<<< SEARCH\n            double x = 1.0;\n=======\n            double x =", 700, 16),
            FakeStep.Reply("<<<<<<< SEARCH\nthis line is not in the program\n=======\nnothing\n>>>>>>> REPLACE\n", 800, 20),
            FakeStep.Slow(TimeSpan.FromSeconds(15)));
        var settings = new Dictionary<string, string?>
        {
            ["LanguageModels:Models:0:Name"] = "fake",
            ["LanguageModels:Models:0:Provider"] = "openai",
            ["LanguageModels:Models:0:Endpoint"] = fake.OpenAIEndpoint.ToString(),
            ["LanguageModels:Models:0:Model"] = "fake-model",
            ["LanguageModels:Models:0:InputPricePerMillion"] = "1.5",
            ["LanguageModels:Models:0:OutputPricePerMillion"] = "6",
            ["LanguageModels:Models:0:Timeout"] = "00:00:06",
            ["LanguageModels:Retry:BaseDelay"] = "00:00:00.050",
            ["LanguageModels:Retry:MaxAttempts"] = "3",
        };
        var store = await stores.CreateStoreAsync(provider, ct);
        await using var harness = new EngineHarness(
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

        var run = await harness.Control.StartAsync(
            problem.Id,
            new RunSettings
            {
                MaxEvaluations = 12,
                Models = new Dictionary<string, double> { ["fake"] = 1 },
                Operators = new Dictionary<string, double> { ["diff"] = 1 },
                TargetScore = 123.456,
                PromptTemplates = new Dictionary<string, string> { ["system"] = "You improve programs for the quadratic test problem. SYSTEM-OVERRIDE-7" },
            },
            "fake model",
            ct);
        var done = await harness.WaitForEndAsync(run.Id, TimeSpan.FromSeconds(120), ct);

        Assert.Equal(RunStatus.Completed, done.Status);
        Assert.Equal(12, done.Evaluations);
        await using var db = store.CreateDbContext();
        var calls = await db.ModelCalls.AsNoTracking().Where(c => c.RunId == run.Id).ToListAsync(ct);

        // Every request the server saw is one stored attempt, faults included. (On a starved machine an attempt
        // can also time out before its request reaches the server; it is stored too.)
        Assert.InRange(calls.Count, fake.Requests.Count, fake.Requests.Count + calls.Count(c => c.Outcome == "timeout"));
        Assert.Contains(calls, c => c.Outcome == "http-429");
        Assert.Contains(calls, c => c.Outcome == "http-500");
        Assert.Contains(calls, c => c.Outcome == "malformed");
        Assert.Contains(calls, c => c.Outcome == "truncated");
        Assert.Contains(calls, c => c.Outcome == "timeout");
        Assert.Contains(calls, c => c.EditOutcome is { } e && e.StartsWith("edit-failed", StringComparison.Ordinal));

        // Usage is what the server reported, to the token (the slow reply never reached the client); a timeout and
        // an unreadable reply are booked with their prompt estimated; cost follows the prices.
        var reported = fake.Answers.Where(a => a.InputTokens is not null && a.Delay < TimeSpan.FromSeconds(6)).ToList();
        var answeredCalls = calls.Where(c => c.Outcome is not ("timeout" or "malformed")).ToList();
        Assert.Equal(reported.Sum(a => a.InputTokens!.Value), answeredCalls.Sum(c => c.InputTokens ?? 0));
        Assert.Equal(reported.Sum(a => a.OutputTokens!.Value), answeredCalls.Sum(c => c.OutputTokens ?? 0));
        Assert.All(calls.Where(c => c.Outcome is "timeout" or "malformed"), c => Assert.True(c.InputTokens > 0));
        foreach (var call in calls.Where(c => c.InputTokens is not null))
        {
            Assert.Equal((call.InputTokens!.Value * 1.5m + call.OutputTokens!.Value * 6m) / 1_000_000m, call.Cost);
        }

        Assert.All(calls.Where(c => c.Outcome is "http-429" or "http-500"), c => Assert.Null(c.InputTokens));

        // The run's template override reached the model; its target did not.
        Assert.All(fake.Requests, r => Assert.Contains("SYSTEM-OVERRIDE-7", r.PromptText, StringComparison.Ordinal));
        Assert.All(fake.Requests, r => Assert.DoesNotContain("123.456", r.PromptText, StringComparison.Ordinal));
        var programs = await db.Candidates.AsNoTracking().Where(c => c.RunId == run.Id && c.Model == "fake").ToListAsync(ct);
        Assert.NotEmpty(programs);
        Assert.All(programs, p => Assert.Contains("SEARCH", p.Reply, StringComparison.Ordinal));
        // The run's totals are its ledger's: exactly what its stored calls hold.
        Assert.Equal(calls.Sum(c => (long)(c.InputTokens ?? 0)), done.InputTokens);
        Assert.Equal(calls.Sum(c => (long)(c.OutputTokens ?? 0)), done.OutputTokens);
        Assert.Equal(calls.Sum(c => c.Cost ?? 0m), done.Cost);
    }
}
