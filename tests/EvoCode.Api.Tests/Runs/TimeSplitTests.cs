using System.Text.Json;

namespace EvoCode.Api.Tests.Runs;

/// <summary>The time split of a real run (published server, real sandbox, built-in operators) adds up to its active time.</summary>
public sealed class TimeSplitTests
{
    private const int Evaluations = 40;

    private static readonly string[] s_parts = ["startMs", "selectMs", "proposeMs", "screenMs", "storeMs", "queueMs", "compileMs", "runMs", "scoreMs", "commitMs"];

    [Fact]
    public async Task Statistics_OneProposalAndOneEvaluationAtATime_PartsCoverTheActiveTime()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ApiServer.StartAsync(cancellationToken: ct);
        var problem = await server.PostAsync("/api/problems/examples/circle-packing-26", new { }, ct);
        var run = await server.PostAsync(
            "/api/runs",
            new { problemId = problem.GetProperty("id").GetGuid(), settings = new { maxEvaluations = Evaluations, islands = 2, migrationInterval = 10, proposalConcurrency = 1, evaluationConcurrency = 1 } },
            ct);
        var runId = run.GetProperty("id").GetGuid();
        using (var stream = await server.Http.GetStreamAsync($"/api/runs/{runId}/events", ct))
        {
            await SseEvent.ReadAsync(stream, ct).CountAsync(ct);
        }

        var finished = await server.GetAsync($"/api/runs/{runId}", ct);
        Assert.Equal("Completed", finished.GetProperty("status").GetString());
        Assert.Equal(Evaluations, finished.GetProperty("evaluations").GetInt64());

        var time = (await server.GetAsync($"/api/runs/{runId}/statistics", ct)).GetProperty("time");
        var active = time.GetProperty("activeMs").GetDouble();
        var parts = s_parts.ToDictionary(p => p, p => time.GetProperty(p).GetDouble());
        var sum = parts.Values.Sum();
        var split = string.Join(", ", parts.Select(p => $"{p.Key}={p.Value:F0}"));

        TestContext.Current.TestOutputHelper?.WriteLine($"parts {sum:F0} of {active:F0} ms active ({sum / active:P1}): {split}");

        // One slot of each: the parts are disjoint stretches of the run's wall time and leave at most 5 % out.
        Assert.True(sum >= 0.95 * active, $"The parts explain {sum:F0} of {active:F0} ms ({sum / active:P1}): {split}");
        Assert.True(sum <= active, $"The parts ({sum:F0} ms) exceed the active time ({active:F0} ms): {split}");
        Assert.All(s_parts.Where(p => p != "queueMs"), p => Assert.True(parts[p] > 0, $"{p} is 0: {split}"));
        Assert.Equal(parts["compileMs"] + parts["runMs"] + parts["scoreMs"], time.GetProperty("evaluateMs").GetDouble(), 1e-6);
        // The screen compiled every program it let through, and every evaluation but the seed's loaded that
        // compilation instead of compiling again (ADR-018); the seed of an example is compiled by its own evaluation.
        Assert.Equal(Evaluations - 1, time.GetProperty("compileCacheHits").GetInt64());

        // A program made by an operator carries the same parts for itself.
        var page = await server.GetAsync($"/api/runs/{runId}/programs?sort=sequence&order=asc&pageSize=100", ct);
        var made = page.GetProperty("items").EnumerateArray()
            .First(p => p.GetProperty("operator").GetString() is not ("seed" or "migration") && p.GetProperty("outcome").GetString() == "Ok");
        var timings = (await server.GetAsync($"/api/programs/{made.GetProperty("id").GetGuid()}", ct)).GetProperty("timings");
        foreach (var name in new[] { "proposeMs", "screenMs", "storeMs", "compileMs", "runMs", "scoreMs", "commitMs" })
        {
            Assert.True(timings.GetProperty(name).GetDouble() > 0, $"{name} is 0: {timings}");
        }

        // Its slot's selection is counted with the slot's first attempt, which may have been screened out, and its queue
        // wait may round to 0: both are recorded as numbers (a duration is never negative, so only their presence is checked).
        Assert.Equal(JsonValueKind.Number, timings.GetProperty("selectMs").ValueKind);
        Assert.Equal(JsonValueKind.Number, timings.GetProperty("queueMs").ValueKind);
        Assert.Equal(
            timings.GetProperty("compileMs").GetDouble() + timings.GetProperty("runMs").GetDouble() + timings.GetProperty("scoreMs").GetDouble(),
            timings.GetProperty("evaluateMs").GetDouble(),
            1e-6);
        Assert.Equal(JsonValueKind.False, timings.GetProperty("screenCached").ValueKind);
        Assert.Equal(JsonValueKind.True, timings.GetProperty("compileCached").ValueKind);
    }
}
