using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace EvoCode.Api.Tests.Runs;

public sealed class RunTests(SharedServer shared) : IClassFixture<SharedServer>
{
    [Fact]
    public async Task StartRun_BadSettings_Returns400WithEveryFieldError()
    {
        var ct = TestContext.Current.CancellationToken;
        var server = shared.Server;
        var problem = await server.PostAsync("/api/problems", ApiServer.CirclePackingProblem("packing-bad-run"), ct);

        using var response = await server.Http.PostAsJsonAsync(
            "/api/runs",
            new { problemId = problem.GetProperty("id").GetGuid(), settings = new { maxEvaluations = -1, islands = 0, exploitRatio = 2.0, models = new Dictionary<string, double> { ["gpt-x"] = 1 } } },
            ct);
        using var unknownProblem = await server.Http.PostAsJsonAsync("/api/runs", new { problemId = Guid.NewGuid() }, ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("errors");
        foreach (var field in new[] { "settings.maxEvaluations", "settings.islands", "settings.exploitRatio", "settings.models.gpt-x" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"No error for {field}: {errors}");
        }

        Assert.Equal(HttpStatusCode.BadRequest, unknownProblem.StatusCode);
        Assert.True((await unknownProblem.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("errors").TryGetProperty("problemId", out _));
    }

    [Fact]
    public async Task PauseResumeCancel_FollowTheRunsStatus_And409WhenNotAllowed()
    {
        var ct = TestContext.Current.CancellationToken;
        var server = shared.Server;
        var problem = await server.PostAsync("/api/problems", ApiServer.CirclePackingProblem("packing-control"), ct);
        var run = await server.PostAsync("/api/runs", new { problemId = problem.GetProperty("id").GetGuid(), name = "control", settings = new { maxEvaluations = 100_000 } }, ct);
        var id = run.GetProperty("id").GetGuid();

        var paused = await server.PostAsync($"/api/runs/{id}/pause", new { }, ct);
        using var pauseAgain = await server.Http.PostAsync($"/api/runs/{id}/pause", null, ct);
        var resumed = await server.PostAsync($"/api/runs/{id}/resume", new { }, ct);
        var cancelled = await server.PostAsync($"/api/runs/{id}/cancel", new { }, ct);
        using var resumeCancelled = await server.Http.PostAsync($"/api/runs/{id}/resume", null, ct);
        var listed = await server.GetAsync($"/api/runs?status=Cancelled&problemId={problem.GetProperty("id").GetGuid()}", ct);

        Assert.Equal("Pending", run.GetProperty("status").GetString());
        Assert.Equal(100_000, run.GetProperty("budget").GetProperty("maxEvaluations").GetInt32());
        Assert.Equal("Paused", paused.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, pauseAgain.StatusCode);
        Assert.Equal("Pending", resumed.GetProperty("status").GetString());
        Assert.Equal("Cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, resumeCancelled.StatusCode);
        Assert.Equal("application/problem+json", resumeCancelled.Content.Headers.ContentType?.MediaType);
        Assert.Equal(id, Assert.Single(listed.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());

        // A finished run's stream replays its events and ends (curl -N returns).
        using var stream = await server.Http.GetStreamAsync($"/api/runs/{id}/events", ct);
        var events = await SseEvent.ReadAsync(stream, ct).ToListAsync(ct);
        Assert.Equal(["Pending", "Paused", "Pending", "Cancelled"], events.Where(e => e.Kind == "status").Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("status").GetString()).Where(s => s is not "Running"));
    }

    [Fact]
    public async Task Events_IdleRun_SendsHeartbeatCommentsAndKeepsTheStreamOpen()
    {
        var ct = TestContext.Current.CancellationToken;
        var server = shared.Server;
        var problem = await server.PostAsync("/api/problems", ApiServer.CirclePackingProblem("packing-idle"), ct);
        var run = await server.PostAsync("/api/runs", new { problemId = problem.GetProperty("id").GetGuid(), settings = new { maxEvaluations = 100_000 } }, ct);
        var id = run.GetProperty("id").GetGuid();
        await server.PostAsync($"/api/runs/{id}/pause", new { }, ct);

        using var response = await server.Http.GetAsync($"/api/runs/{id}/events", HttpCompletionOption.ResponseHeadersRead, ct);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromSeconds(60));
        var lines = new List<string>();
        while (await reader.ReadLineAsync(limit.Token) is { } line)
        {
            lines.Add(line);
            if (line.StartsWith(':'))
            {
                break;
            }
        }

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(": heartbeat", lines[^1]);
        Assert.Contains("event: status", lines);
        await server.PostAsync($"/api/runs/{id}/cancel", new { }, ct);
    }

    [Fact]
    public async Task RunEndpoints_UnknownRun_Return404()
    {
        var ct = TestContext.Current.CancellationToken;
        var id = Guid.NewGuid();

        foreach (var path in new[] { $"/api/runs/{id}", $"/api/runs/{id}/programs", $"/api/runs/{id}/archive", $"/api/runs/{id}/lineage", $"/api/runs/{id}/statistics", $"/api/runs/{id}/events", $"/api/programs/{id}", $"/api/programs/{id}/ancestors" })
        {
            using var response = await shared.Server.Http.GetAsync(path, ct);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: {(int)response.StatusCode}");
        }

        using var cancel = await shared.Server.Http.PostAsync($"/api/runs/{id}/cancel", null, ct);
        Assert.Equal(HttpStatusCode.NotFound, cancel.StatusCode);
    }
}
