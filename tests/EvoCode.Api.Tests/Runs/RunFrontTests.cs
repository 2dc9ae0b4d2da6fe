using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace EvoCode.Api.Tests.Runs;

/// <summary>Issue 19 item 1 over real HTTP on the published server: GET /api/runs/{id}/front and the objectives' validation.</summary>
public sealed class RunFrontTests(SharedServer shared) : IClassFixture<SharedServer>
{
    [Fact]
    public async Task Front_TwoObjectiveRun_IsTheNonDominatedSetOfItsCorrectPrograms()
    {
        var ct = TestContext.Current.CancellationToken;
        var server = shared.Server;
        var problemId = (await server.PostAsync("/api/problems", ApiServer.CirclePackingProblem("front-two-objectives"), ct)).GetProperty("id").GetGuid();
        var objectives = new[] { new { metric = "sum_radii", goal = "maximize" }, new { metric = "length", goal = "minimize" } };
        var runId = (await server.PostAsync("/api/runs", new { problemId, settings = new { maxEvaluations = 12, islands = 1, targetScore = (double?)null, objectives, frontSize = 64 } }, ct)).GetProperty("id").GetGuid();
        await server.WaitUntilCompletedAsync(runId, ct);

        var front = await server.GetAsync($"/api/runs/{runId}/front", ct);

        Assert.Equal(["sum_radii/maximize", "length/minimize"], front.GetProperty("objectives").EnumerateArray().Select(o => $"{o.GetProperty("metric").GetString()}/{o.GetProperty("goal").GetString()}"));
        var points = front.GetProperty("points").EnumerateArray().Select(Program).ToList();
        Assert.Equal(points.Count, front.GetProperty("total").GetInt32());
        Assert.NotEmpty(points);

        // Computed here from the points: sum_radii up, length down.
        bool Dominates((Guid Id, double[] V) a, (Guid Id, double[] V) b) =>
            a.V[0] >= b.V[0] && a.V[1] <= b.V[1] && (a.V[0] > b.V[0] || a.V[1] < b.V[1]);
        var expected = points.Where(p => !points.Exists(q => Dominates(q, p))).Select(p => p.Id).ToList();
        var programs = front.GetProperty("front").EnumerateArray().Select(Program).ToList();
        Assert.Equal(expected, programs.Select(p => p.Id));
        Assert.All(programs, p => Assert.Equal(points.Single(q => q.Id == p.Id).V, p.V));

        // An export imported back has the same front (new ids, the same values in the same order).
        var export = await server.Http.GetStringAsync($"/api/runs/{runId}/export", ct);
        using var import = await server.Http.PostAsync("/api/runs/import", new StringContent(export, System.Text.Encoding.UTF8, "application/x-ndjson"), ct);
        Assert.Equal(HttpStatusCode.Created, import.StatusCode);
        var importedId = (await import.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetGuid();
        var imported = (await server.GetAsync($"/api/runs/{importedId}/front", ct)).GetProperty("front").EnumerateArray().Select(Program).ToList();
        Assert.Equal(programs.Select(p => p.V), imported.Select(p => p.V));
    }

    [Fact]
    public async Task Front_ScalarRunIsItsBestProgram_AndAnUnknownRunIs404()
    {
        var ct = TestContext.Current.CancellationToken;
        var server = shared.Server;
        var problemId = (await server.PostAsync("/api/problems", ApiServer.CirclePackingProblem("front-scalar"), ct)).GetProperty("id").GetGuid();
        var runId = (await server.PostAsync("/api/runs", new { problemId, settings = new { maxEvaluations = 4, islands = 1, targetScore = (double?)null } }, ct)).GetProperty("id").GetGuid();
        var run = await server.WaitUntilCompletedAsync(runId, ct);

        var front = await server.GetAsync($"/api/runs/{runId}/front", ct);

        Assert.Equal("score", front.GetProperty("objectives")[0].GetProperty("metric").GetString());
        Assert.Equal(1, front.GetProperty("objectives").GetArrayLength());
        Assert.Equal([run.GetProperty("bestProgramId").GetGuid()], front.GetProperty("front").EnumerateArray().Select(p => p.GetProperty("id").GetGuid()));
        using var missing = await server.Http.GetAsync($"/api/runs/{Guid.NewGuid()}/front", ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task StartRun_BadObjectives_Returns400WithAMessagePerField()
    {
        var ct = TestContext.Current.CancellationToken;
        var server = shared.Server;
        var problemId = (await server.PostAsync("/api/problems", ApiServer.CirclePackingProblem("front-invalid"), ct)).GetProperty("id").GetGuid();

        var unknown = await ErrorsAsync(server, new
        {
            problemId,
            settings = new
            {
                objectives = new[] { new { metric = "sum_radii", goal = "maximize" }, new { metric = "elegance", goal = "minimize" }, new { metric = "length", goal = "smaller" } },
                frontSize = 0,
            },
        }, ct);
        Assert.Equal(["settings.frontSize", "settings.objectives[1].metric", "settings.objectives[2].goal"], unknown.Keys.Order(StringComparer.Ordinal));
        Assert.StartsWith("Unknown metric; known: score, length, evaluateMs, sum_radii, min_pair_gap, ", unknown["settings.objectives[1].metric"], StringComparison.Ordinal);
        Assert.Equal("Must be one of maximize, minimize.", unknown["settings.objectives[2].goal"]);

        var one = await ErrorsAsync(server, new { problemId, settings = new { objectives = new[] { new { metric = "length", goal = "minimize" } }, parentSelection = "pareto" } }, ct);
        Assert.Equal(["settings.objectives", "settings.parentSelection"], one.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("Give none (the one score) or 2 to 4 objectives.", one["settings.objectives"]);
        Assert.Equal("pareto needs 2 to 4 objectives.", one["settings.parentSelection"]);
    }

    private static (Guid Id, double[] V) Program(JsonElement p) =>
        (p.GetProperty("id").GetGuid(), [.. p.GetProperty("values").EnumerateArray().Select(v => v.GetDouble())]);

    private static async Task<Dictionary<string, string>> ErrorsAsync(ApiServer server, object body, CancellationToken ct)
    {
        using var response = await server.Http.PostAsJsonAsync("/api/runs", body, ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("errors");
        return errors.EnumerateObject().ToDictionary(e => e.Name, e => e.Value[0].GetString()!);
    }
}
