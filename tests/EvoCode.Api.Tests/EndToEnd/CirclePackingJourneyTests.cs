extern alias FakeLlm;

using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using EvoCode.Evaluators.Catalog;
using EvoCode.Evaluators.Contract;
using FakeLlm::EvoCode.FakeLlm;
using EvoCode.Sandbox;
using EvoCode.Sandbox.Configuration;

namespace EvoCode.Api.Tests.EndToEnd;

/// <summary>The README's journey over real HTTP on a real port, with the fake language-model server.</summary>
public sealed class CirclePackingJourneyTests
{
    private const int Budget = 12;

    [Fact]
    public async Task Journey_SubmitRunFollowEventsFetchBest_BestScoreHoldsWhenEvaluatedAgain()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: ct);
        await using var server = await ApiServer.StartAsync(
            new Dictionary<string, string?>
            {
                ["LanguageModels__Models__0__Name"] = "fake",
                ["LanguageModels__Models__0__Provider"] = "openai",
                ["LanguageModels__Models__0__Endpoint"] = fake.OpenAIEndpoint.ToString(),
                ["LanguageModels__Models__0__Model"] = "fake-model",
                ["LanguageModels__Models__0__InputPricePerMillion"] = "1.0",
                ["LanguageModels__Models__0__OutputPricePerMillion"] = "2.0",
                ["LanguageModels__Models__0__Timeout"] = "00:00:30",
            },
            ct);

        // 1. Submit circle packing; 2. start a run against the fake model.
        var problem = await server.PostAsync("/api/problems", ApiServer.CirclePackingProblem("circle-packing-e2e"), ct);
        var run = await server.PostAsync(
            "/api/runs",
            new { problemId = problem.GetProperty("id").GetGuid(), name = "e2e", settings = new { maxEvaluations = Budget, islands = 2, models = new Dictionary<string, double> { ["fake"] = 1 } } },
            ct);
        var runId = run.GetProperty("id").GetGuid();

        // 3. Follow the events: drop the first connection early, reconnect with Last-Event-ID, read to the end.
        var first = new List<SseEvent>();
        using (var stream = await server.Http.GetStreamAsync($"/api/runs/{runId}/events", ct))
        {
            await foreach (var e in SseEvent.ReadAsync(stream, ct))
            {
                first.Add(e);
                if (first.Count == 4)
                {
                    break;
                }
            }
        }

        using var resume = new HttpRequestMessage(HttpMethod.Get, $"/api/runs/{runId}/events");
        resume.Headers.Add("Last-Event-ID", first[^1].Id.ToString(CultureInfo.InvariantCulture));
        using var resumed = await server.Http.SendAsync(resume, HttpCompletionOption.ResponseHeadersRead, ct);
        Assert.Equal(new MediaTypeHeaderValue("text/event-stream"), resumed.Content.Headers.ContentType);
        var second = await SseEvent.ReadAsync(await resumed.Content.ReadAsStreamAsync(ct), ct).ToListAsync(ct);
        using var all = await server.Http.GetStreamAsync($"/api/runs/{runId}/events?lastEventId=0", ct);
        var everything = await SseEvent.ReadAsync(all, ct).ToListAsync(ct);

        Assert.Equal(everything.Select(e => e.Id), first.Concat(second).Select(e => e.Id));
        Assert.Equal(everything.Count, everything.Select(e => e.Id).Distinct().Count());
        Assert.Equal("status", everything[^1].Kind);
        Assert.Equal("Completed", JsonDocument.Parse(everything[^1].Data).RootElement.GetProperty("status").GetString());
        Assert.Contains(everything, e => e.Kind == "new-best");
        Assert.Contains(everything, e => e.Kind == "new-elite");
        Assert.Equal(Budget, everything.Count(e => e.Kind == "evaluated"));

        // 4. Fetch the best program, and score it again in a fresh sandbox.
        var finished = await server.GetAsync($"/api/runs/{runId}", ct);
        Assert.Equal("Completed", finished.GetProperty("status").GetString());
        Assert.Equal(Budget, finished.GetProperty("evaluations").GetInt64());
        Assert.True(finished.GetProperty("inputTokens").GetInt64() > 0, "The run never called the fake model.");
        var bestId = finished.GetProperty("bestProgramId").GetGuid();
        var bestScore = finished.GetProperty("bestScore").GetDouble();
        var best = await server.GetAsync($"/api/programs/{bestId}", ct);
        Assert.Equal(bestScore, best.GetProperty("score").GetDouble());

        await using (var sandbox = await SandboxRunner.StartNewAsync(new SandboxOptions { Workers = 1 }, cancellationToken: ct))
        {
            var evaluator = EvaluatorCatalog.Default.Create("circle-packing", JsonSerializer.SerializeToElement(new { n = 26, tolerance = "strict" }));
            var again = await evaluator.EvaluateAsync(best.GetProperty("source").GetString()!, sandbox, new EvaluationContext(), ct);
            Assert.True(again.Correct, again.Error);
            Assert.Equal(bestScore, again.Score, 1e-12);
        }

        // The rest of what a dashboard reads about the run agrees with it.
        var ancestors = await server.GetAsync($"/api/programs/{bestId}/ancestors", ct);
        Assert.Equal(bestId, ancestors[0].GetProperty("id").GetGuid());
        Assert.Equal("seed", ancestors[ancestors.GetArrayLength() - 1].GetProperty("operator").GetString());

        var page = await server.GetAsync($"/api/runs/{runId}/programs?sort=score&order=desc&pageSize=5", ct);
        Assert.Equal(bestScore, page.GetProperty("items")[0].GetProperty("score").GetDouble());
        var total = page.GetProperty("total").GetInt32();

        var lineage = await server.GetAsync($"/api/runs/{runId}/lineage", ct);
        Assert.Equal(total, lineage.GetProperty("ids").GetArrayLength());
        Assert.Equal(total, lineage.GetProperty("parents").GetArrayLength());
        var bestPath = lineage.GetProperty("bestPath");
        Assert.Equal(bestId, lineage.GetProperty("ids")[bestPath[bestPath.GetArrayLength() - 1].GetInt32()].GetGuid());
        Assert.Equal(-1, lineage.GetProperty("parents")[bestPath[0].GetInt32()].GetInt32());

        var archive = await server.GetAsync($"/api/runs/{runId}/archive", ct);
        Assert.Equal(2, archive.GetProperty("islands").GetArrayLength());
        Assert.Contains(archive.GetProperty("islands").EnumerateArray().SelectMany(i => i.GetProperty("cells").EnumerateArray()), c => c.GetProperty("eliteId").GetGuid() == bestId);

        var statistics = await server.GetAsync($"/api/runs/{runId}/statistics", ct);
        var curve = statistics.GetProperty("best");
        Assert.Equal(bestScore, curve[curve.GetArrayLength() - 1].GetProperty("score").GetDouble());
        Assert.True(statistics.GetProperty("models").TryGetProperty("fake", out _), statistics.ToString());

        // The engine appended one series entry per evaluation it counted: the charts count as the run does.
        var counted = (await server.GetAsync($"/api/runs/{runId}", ct)).GetProperty("evaluations").GetInt32();
        var series = await server.GetAsync($"/api/runs/{runId}/series", ct);
        Assert.Equal(counted, series.GetProperty("evaluations").GetInt32());
        Assert.Equal(counted, curve[curve.GetArrayLength() - 1].GetProperty("evaluation").GetInt32());
        var steps = series.GetProperty("best");
        Assert.Equal(bestId, steps[steps.GetArrayLength() - 1].GetProperty("programId").GetGuid());

        // The ancestry view holds the elites and the best with their ancestors, and the run's size.
        var ancestry = await server.GetAsync($"/api/runs/{runId}/lineage?view=ancestry", ct);
        var shown = ancestry.GetProperty("ids").EnumerateArray().Select(i => i.GetGuid()).ToList();
        var ancestryPath = ancestry.GetProperty("bestPath");
        Assert.Equal(total, ancestry.GetProperty("total").GetInt32());
        Assert.Equal(bestId, shown[ancestryPath[ancestryPath.GetArrayLength() - 1].GetInt32()]);
        Assert.Equal(bestPath.GetArrayLength(), ancestryPath.GetArrayLength());
        Assert.Equal(shown.Count, ancestry.GetProperty("childCounts").GetArrayLength());
        Assert.All(archive.GetProperty("islands").EnumerateArray().SelectMany(i => i.GetProperty("cells").EnumerateArray()), c => Assert.Contains(c.GetProperty("eliteId").GetGuid(), shown));

        // Each evaluated program was compiled once: the submission's check compiled the seed, the model operator's
        // check each child; the screen and every run of the evaluation reused that compilation.
        var compiles = statistics.GetProperty("compiles");
        Assert.Equal(Budget, compiles.GetProperty("total").GetInt64());
        Assert.Equal(1.0, compiles.GetProperty("perEvaluatedProgram").GetDouble());

        var byModel = await server.GetAsync($"/api/runs/{runId}/programs?pageSize=100", ct);
        var modelMade = byModel.GetProperty("items").EnumerateArray().First(p => p.GetProperty("model").GetString() == "fake");
        var detail = await server.GetAsync($"/api/programs/{modelMade.GetProperty("id").GetGuid()}", ct);
        Assert.False(string.IsNullOrEmpty(detail.GetProperty("prompt").GetString()));
        Assert.False(string.IsNullOrEmpty(detail.GetProperty("reply").GetString()));
        Assert.StartsWith("--- parent", detail.GetProperty("diff").GetString(), StringComparison.Ordinal);

        var models = await server.GetAsync("/api/models", ct);
        Assert.Equal("fake", models.GetProperty("models")[0].GetProperty("name").GetString());
    }
}
