using System.Text.Json;
using EvoCode.Evolver.Persistence;
using EvoCode.Testing;

namespace EvoCode.Api.Tests.Runs;

/// <summary>Every read query of a finished run, on both stores: SQLite and PostgreSQL translate LINQ differently.</summary>
public sealed class StoreQueryTests(StoreFixture stores)
{
    [Theory]
    [MemberData(nameof(StoreFixture.Providers), MemberType = typeof(StoreFixture))]
    public async Task ReadEndpoints_FinishedRun_AnswerConsistently(StoreProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var environment = new Dictionary<string, string?>();
        if (provider == StoreProvider.Postgres)
        {
            environment["ConnectionStrings__Postgres"] = await stores.CreateDatabaseAsync(StoreProvider.Postgres, ct);
        }

        await using var server = await ApiServer.StartAsync(environment, ct);
        var problem = await server.PostAsync("/api/problems/examples/circle-packing-26", new { }, ct);
        var again = await server.PostAsync("/api/problems/examples/circle-packing-26", new { }, ct);
        Assert.Equal(problem.GetProperty("id").GetGuid(), again.GetProperty("id").GetGuid());
        var run = await server.PostAsync("/api/runs", new { problemId = problem.GetProperty("id").GetGuid(), settings = new { maxEvaluations = 8, islands = 2 } }, ct);
        var runId = run.GetProperty("id").GetGuid();
        using (var stream = await server.Http.GetStreamAsync($"/api/runs/{runId}/events", ct))
        {
            await SseEvent.ReadAsync(stream, ct).CountAsync(ct);
        }

        var finished = await server.GetAsync($"/api/runs/{runId}", ct);
        var bestScore = finished.GetProperty("bestScore").GetDouble();
        var byScore = await server.GetAsync($"/api/runs/{runId}/programs?sort=score&order=desc&pageSize=500", ct);
        var ascending = await server.GetAsync($"/api/runs/{runId}/programs?sort=score&order=asc&pageSize=500", ct);
        var correctOnly = await server.GetAsync($"/api/runs/{runId}/programs?correct=true&island=0&pageSize=2&page=1", ct);
        var lineage = await server.GetAsync($"/api/runs/{runId}/lineage", ct);
        var statistics = await server.GetAsync($"/api/runs/{runId}/statistics", ct);
        var archive = await server.GetAsync($"/api/runs/{runId}/archive", ct);
        var runs = await server.GetAsync($"/api/runs?problemId={problem.GetProperty("id").GetGuid()}", ct);

        Assert.Equal("Completed", finished.GetProperty("status").GetString());
        var items = byScore.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(bestScore, items[0].GetProperty("score").GetDouble());
        // Unscored programs sort last in both directions, whatever the store's NULL order.
        var kinds = items.Select(i => i.GetProperty("score").ValueKind).ToList();
        Assert.True(kinds.LastIndexOf(JsonValueKind.Number) < Math.Max(kinds.IndexOf(JsonValueKind.Null), kinds.Count), string.Join(",", kinds));
        var scored = ascending.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("score").ValueKind == JsonValueKind.Number).Select(i => i.GetProperty("score").GetDouble()).ToList();
        Assert.Equal(scored.Order(), scored);
        Assert.All(correctOnly.GetProperty("items").EnumerateArray(), i => Assert.True(i.GetProperty("correct").GetBoolean() && i.GetProperty("island").GetInt32() == 0));
        Assert.Equal(byScore.GetProperty("total").GetInt32(), lineage.GetProperty("ids").GetArrayLength());
        Assert.Equal(bestScore, statistics.GetProperty("best")[statistics.GetProperty("best").GetArrayLength() - 1].GetProperty("score").GetDouble());
        Assert.Equal(2, archive.GetProperty("dimensions").GetArrayLength());
        Assert.Equal(runId, Assert.Single(runs.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Documentation_OpenApiAndScalar_AreServedOffline()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ApiServer.StartAsync(cancellationToken: ct);

        var openApi = await server.GetAsync("/openapi/v1.json", ct);
        var scalar = await server.Http.GetStringAsync("/scalar/", ct);
        using var script = await server.Http.GetAsync("/scalar/scalar.js", ct);

        var paths = openApi.GetProperty("paths");
        foreach (var path in new[] { "/api/problems", "/api/runs", "/api/runs/{id}/events", "/api/programs/{id}", "/api/runs/{id}/lineage", "/api/models" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"OpenAPI lacks {path}");
        }

        Assert.Contains("<html", scalar, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("cdn.jsdelivr", scalar, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(System.Net.HttpStatusCode.OK, script.StatusCode);
    }
}
