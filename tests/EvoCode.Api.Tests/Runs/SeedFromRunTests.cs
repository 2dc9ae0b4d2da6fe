using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace EvoCode.Api.Tests.Runs;

/// <summary>Issue 19 over real HTTP on the published server: seeding a run from another, and the map by meaning.</summary>
public sealed class SeedFromRunTests
{
    [Fact]
    public async Task StartRun_SeededFromAnotherRun_TakesItsTopProgramsOntoTheIslands_AndTheMapHoldsTheEmbeddedPrograms()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ApiServer.StartAsync(cancellationToken: ct);
        var problemId = (await server.PostAsync("/api/problems", ApiServer.CirclePackingProblem("seed-from-run"), ct)).GetProperty("id").GetGuid();
        var otherId = (await server.PostAsync("/api/problems", ApiServer.CirclePackingProblem("seed-from-run-other"), ct)).GetProperty("id").GetGuid();

        var first = (await server.PostAsync("/api/runs", new { problemId, name = "first", settings = new { maxEvaluations = 12, islands = 1, targetScore = (double?)null, semanticSimilarityThreshold = 0.9999 } }, ct)).GetProperty("id").GetGuid();
        await server.WaitUntilCompletedAsync(first, ct);
        var firstPrograms = await ProgramsAsync(server, first, ct);

        // The map: every stored child has an embedding (the seed is not screened, so it has none).
        var map = await server.GetAsync($"/api/runs/{first}/map", ct);
        var children = firstPrograms.Count(p => p.GetProperty("operator").GetString() != "seed");
        Assert.Equal(children, map.GetProperty("count").GetInt32());
        Assert.Equal(children, map.GetProperty("total").GetInt32());
        Assert.Equal(children, map.GetProperty("points").GetArrayLength());

        // Bad references are refused at the edge with the field.
        foreach (var (seedRunId, message) in new[] { (Guid.NewGuid(), "No run with this id."), (Guid.Empty, "No run with this id.") })
        {
            using var refused = await server.Http.PostAsJsonAsync("/api/runs", new { problemId, settings = new { maxEvaluations = 5, seedRunId } }, ct);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var errors = (await refused.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("errors");
            Assert.Equal(message, errors.GetProperty("settings.seedRunId")[0].GetString());
        }

        using (var otherProblem = await server.Http.PostAsJsonAsync("/api/runs", new { problemId = otherId, settings = new { maxEvaluations = 5, seedRunId = first } }, ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, otherProblem.StatusCode);
        }

        using (var badTop = await server.Http.PostAsJsonAsync("/api/runs", new { problemId, settings = new { maxEvaluations = 5, seedRunId = first, seedRunTop = 0 } }, ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badTop.StatusCode);
            Assert.True((await badTop.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("errors").TryGetProperty("settings.seedRunTop", out _));
        }

        // The second run takes the first run's two best distinct programs, one per island, and evaluates them.
        var second = (await server.PostAsync("/api/runs", new { problemId, name = "second", settings = new { maxEvaluations = 6, islands = 2, targetScore = (double?)null, seedRunId = first, seedRunTop = 2 } }, ct)).GetProperty("id").GetGuid();
        var done = await server.WaitUntilCompletedAsync(second, ct);
        Assert.Equal(6, done.GetProperty("evaluations").GetInt64());
        var seedSource = (await server.GetAsync($"/api/programs/{firstPrograms.Single(p => p.GetProperty("sequence").GetInt64() == 1).GetProperty("id").GetGuid()}", ct)).GetProperty("source").GetString();
        var expected = new List<string>();
        foreach (var program in firstPrograms.Where(p => p.GetProperty("correct").ValueKind == JsonValueKind.True).OrderByDescending(p => p.GetProperty("score").GetDouble()).ThenBy(p => p.GetProperty("sequence").GetInt64()))
        {
            var source = (await server.GetAsync($"/api/programs/{program.GetProperty("id").GetGuid()}", ct)).GetProperty("source").GetString()!;
            if (!expected.Contains(source) && source != seedSource && expected.Count < 2)
            {
                expected.Add(source);
            }
        }

        var seeded = (await ProgramsAsync(server, second, ct)).Where(p => p.GetProperty("operator").GetString() == "seed-run").OrderBy(p => p.GetProperty("sequence").GetInt64()).ToList();
        Assert.Equal(expected.Count, seeded.Count);
        Assert.Equal(Enumerable.Range(0, expected.Count), seeded.Select(p => p.GetProperty("island").GetInt32()));
        var seededSources = new List<string>();
        foreach (var program in seeded)
        {
            Assert.Equal("Evaluated", program.GetProperty("state").GetString());
            seededSources.Add((await server.GetAsync($"/api/programs/{program.GetProperty("id").GetGuid()}", ct)).GetProperty("source").GetString()!);
        }

        Assert.Equal(expected, seededSources);
    }

    private static async Task<List<JsonElement>> ProgramsAsync(ApiServer server, Guid runId, CancellationToken ct) =>
        [.. (await server.GetAsync($"/api/runs/{runId}/programs?pageSize=200", ct)).GetProperty("items").EnumerateArray()];
}
