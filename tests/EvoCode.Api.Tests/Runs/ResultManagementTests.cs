using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EvoCode.Evolver.Persistence;
using EvoCode.Testing;

namespace EvoCode.Api.Tests.Runs;

/// <summary>Managing results on both stores: extend a finished run, score one program, page with code, cache, delete.</summary>
public sealed class ResultManagementTests(StoreFixture stores)
{
    [Theory]
    [MemberData(nameof(StoreFixture.Providers), MemberType = typeof(StoreFixture))]
    public async Task FinishedRun_ExtendEvaluateCacheAndDelete_BehaveAsDocumented(StoreProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var environment = new Dictionary<string, string?>();
        if (provider == StoreProvider.Postgres)
        {
            environment["ConnectionStrings__Postgres"] = await stores.CreateDatabaseAsync(StoreProvider.Postgres, ct);
        }

        await using var server = await ApiServer.StartAsync(environment, ct);
        var problem = await server.PostAsync("/api/problems/examples/circle-packing-26", new { }, ct);
        var problemId = problem.GetProperty("id").GetGuid();
        var run = await server.PostAsync("/api/runs", new { problemId, settings = new { maxEvaluations = 3, islands = 1 } }, ct);
        var runId = run.GetProperty("id").GetGuid();
        await WaitUntilFinishedAsync(server, runId, ct);

        // Extend: the completed run resumes and stops at its new budget.
        var extended = await server.PostAsync($"/api/runs/{runId}/extend", new { budgets = new { maxEvaluations = 5 } }, ct);
        using var extendAgainWhileRunning = await server.Http.PostAsJsonAsync($"/api/runs/{runId}/extend", new { budgets = new { maxEvaluations = 9 } }, ct);
        var events = await WaitUntilFinishedAsync(server, runId, ct);
        var after = await server.GetAsync($"/api/runs/{runId}", ct);
        var statuses = events.Where(e => e.Kind == "status").Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("status").GetString()).ToList();

        // One program scored in the sandbox, nothing stored: the seed scores what the run stored for it.
        var programs = await server.GetAsync($"/api/runs/{runId}/programs?sort=sequence&include=source&pageSize=500", ct);
        var seed = programs.GetProperty("items")[0];
        var seedDetail = await server.GetAsync($"/api/programs/{seed.GetProperty("id").GetGuid()}", ct);
        var scored = await server.PostAsync($"/api/problems/{problemId}/evaluate", new { source = seed.GetProperty("source").GetString() }, ct);
        var plainPage = await server.GetAsync($"/api/runs/{runId}/programs?pageSize=1", ct);
        var afterEvaluate = await server.GetAsync($"/api/runs/{runId}", ct);

        // Conditional GET and HEAD.
        using var lineage = await server.Http.GetAsync($"/api/runs/{runId}/lineage", ct);
        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"/api/runs/{runId}/lineage");
        conditional.Headers.IfNoneMatch.Add(lineage.Headers.ETag!);
        using var notModified = await server.Http.SendAsync(conditional, ct);
        using var head = await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/api/runs/{runId}"), ct);
        var headBody = await head.Content.ReadAsByteArrayAsync(ct);

        // Export as JSON Lines, import it back: a second run with the same programs, code and lineage.
        var export = await server.Http.GetStringAsync($"/api/runs/{runId}/export", ct);
        using var import = await server.Http.PostAsync("/api/runs/import", new StringContent(export, System.Text.Encoding.UTF8, "application/x-ndjson"), ct);
        var imported = JsonDocument.Parse(await import.Content.ReadAsStringAsync(ct)).RootElement;
        var importedId = imported.GetProperty("id").GetGuid();
        var importedPrograms = await server.GetAsync($"/api/runs/{importedId}/programs?sort=sequence&include=source&pageSize=500", ct);
        var importedLineage = await server.GetAsync($"/api/runs/{importedId}/lineage", ct);
        var originalLineage = await server.GetAsync($"/api/runs/{runId}/lineage", ct);
        using var deleteImported = await server.Http.DeleteAsync($"/api/runs/{importedId}", ct);

        // Delete: the problem is in use until its run is gone.
        using var problemInUse = await server.Http.DeleteAsync($"/api/problems/{problemId}", ct);
        using var deleteRun = await server.Http.DeleteAsync($"/api/runs/{runId}", ct);
        using var runGone = await server.Http.GetAsync($"/api/runs/{runId}", ct);
        using var programGone = await server.Http.GetAsync($"/api/programs/{seed.GetProperty("id").GetGuid()}", ct);
        using var deleteProblem = await server.Http.DeleteAsync($"/api/problems/{problemId}", ct);
        var runsLeft = await server.GetAsync("/api/runs", ct);
        var problemsLeft = await server.GetAsync("/api/problems", ct);

        // The answer is read after the engine is woken, which may already have claimed the run; the status events below are exact.
        Assert.Contains(extended.GetProperty("status").GetString(), new[] { "Pending", "Running" });
        Assert.Equal(5, extended.GetProperty("budget").GetProperty("maxEvaluations").GetInt32());
        Assert.Equal(HttpStatusCode.Conflict, extendAgainWhileRunning.StatusCode);
        Assert.Equal("Completed", after.GetProperty("status").GetString());
        Assert.Equal(5, after.GetProperty("evaluations").GetInt64());
        Assert.Equal(["Pending", "Running", "Completed", "Pending", "Running", "Completed"], statuses);

        Assert.Equal(seedDetail.GetProperty("source").GetString(), seed.GetProperty("source").GetString());
        Assert.True(scored.GetProperty("correct").GetBoolean(), scored.ToString());
        Assert.Equal(seedDetail.GetProperty("score").GetDouble(), scored.GetProperty("score").GetDouble());
        Assert.Equal(seedDetail.GetProperty("metrics").GetProperty("sum_radii").GetDouble(), scored.GetProperty("metrics").GetProperty("sum_radii").GetDouble());
        Assert.False(plainPage.GetProperty("items")[0].TryGetProperty("source", out _));
        Assert.Equal(programs.GetProperty("total").GetInt32(), plainPage.GetProperty("total").GetInt32());
        Assert.Equal(after.GetProperty("evaluations").GetInt64(), afterEvaluate.GetProperty("evaluations").GetInt64());

        Assert.Equal(HttpStatusCode.OK, lineage.StatusCode);
        Assert.NotNull(lineage.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(headBody);

        Assert.Equal(HttpStatusCode.Created, import.StatusCode);
        Assert.Equal(export.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.StartsWith("{\"kind\":\"program\"", StringComparison.Ordinal)), programs.GetProperty("total").GetInt32());
        Assert.Equal(after.GetProperty("bestScore").GetDouble(), imported.GetProperty("bestScore").GetDouble());
        Assert.Equal("Completed", imported.GetProperty("status").GetString());
        Assert.Equal(
            programs.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("source").GetString()),
            importedPrograms.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("source").GetString()));
        Assert.Equal(originalLineage.GetProperty("parents").ToString(), importedLineage.GetProperty("parents").ToString());
        Assert.Equal(originalLineage.GetProperty("bestPath").ToString(), importedLineage.GetProperty("bestPath").ToString());
        Assert.Equal(HttpStatusCode.NoContent, deleteImported.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, problemInUse.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deleteRun.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, runGone.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, programGone.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deleteProblem.StatusCode);
        Assert.Equal(0, runsLeft.GetProperty("total").GetInt32());
        Assert.Equal(0, problemsLeft.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task RunningRun_DeleteIs409AndThePausedRunKeepsItsPrograms()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ApiServer.StartAsync(cancellationToken: ct);
        var problem = await server.PostAsync("/api/problems/examples/circle-packing-26", new { }, ct);
        var run = await server.PostAsync("/api/runs", new { problemId = problem.GetProperty("id").GetGuid(), settings = new { maxEvaluations = 10_000, islands = 1 } }, ct);
        var runId = run.GetProperty("id").GetGuid();
        await server.PostAsync($"/api/runs/{runId}/pause", new { }, ct);

        using var delete = await server.Http.DeleteAsync($"/api/runs/{runId}", ct);
        using var extend = await server.Http.PostAsJsonAsync($"/api/runs/{runId}/extend", new { budgets = new { maxEvaluations = 20_000 } }, ct);
        var still = await server.GetAsync($"/api/runs/{runId}", ct);

        Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, extend.StatusCode);
        Assert.Equal("Paused", still.GetProperty("status").GetString());
    }

    private static async Task<List<SseEvent>> WaitUntilFinishedAsync(ApiServer server, Guid runId, CancellationToken ct)
    {
        using var stream = await server.Http.GetStreamAsync($"/api/runs/{runId}/events", ct);
        return await SseEvent.ReadAsync(stream, ct).ToListAsync(ct);
    }
}
