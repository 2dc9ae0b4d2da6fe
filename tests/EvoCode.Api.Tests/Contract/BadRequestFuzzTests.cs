using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EvoCode.Evolver.Persistence;
using EvoCode.Testing;

namespace EvoCode.Api.Tests.Contract;

/// <summary>
/// The fuzz list <c>bad-requests.json</c> against the real server on each store: every bad field, query value and
/// body is a 400 application/problem+json whose <c>errors</c> name the field, never a 5xx or a binding message.
/// </summary>
public sealed class BadRequestFuzzTests(StoreFixture stores)
{
    [Theory]
    [MemberData(nameof(StoreFixture.Providers), MemberType = typeof(StoreFixture))]
    public async Task FuzzList_EveryBadInput_Is400NamingItsField(StoreProvider provider)
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
        using (var stream = await server.Http.GetStreamAsync($"/api/runs/{runId}/events", ct))
        {
            await SseEvent.ReadAsync(stream, ct).CountAsync(ct);
        }

        var list = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "tests", "EvoCode.Api.Tests", "Contract", "bad-requests.json"), ct))!;
        var failures = new List<string>();
        var index = 0;
        foreach (var entry in list["cases"]!.AsArray())
        {
            index++;
            var method = entry!["method"]!.GetValue<string>();
            var path = entry["path"]!.GetValue<string>().Replace("{problem}", problemId.ToString(), StringComparison.Ordinal).Replace("{run}", runId.ToString(), StringComparison.Ordinal);
            var field = entry["field"]!.GetValue<string>();
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (Body(entry, index, problemId) is { } body)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            using var response = await server.Http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            var names = response.StatusCode == HttpStatusCode.BadRequest && response.Content.Headers.ContentType?.MediaType == "application/problem+json"
                && JsonDocument.Parse(text).RootElement.TryGetProperty("errors", out var errors)
                ? [.. errors.EnumerateObject().Select(e => e.Name)]
                : Array.Empty<string>();
            if (!names.Contains(field))
            {
                failures.Add($"#{index} {method} {path} expected 400 naming '{field}': {(int)response.StatusCode} {text}");
            }
        }

        // The run the list probed is untouched: no bad request changed it.
        var after = await server.GetAsync($"/api/runs/{runId}", ct);
        Assert.Equal(116, index);
        Assert.Empty(failures);
        Assert.Equal("Completed", after.GetProperty("status").GetString());
        Assert.Equal(3, after.GetProperty("evaluations").GetInt64());
    }

    private static string? Body(JsonNode entry, int index, Guid problemId)
    {
        if (entry["raw"] is { } raw)
        {
            return raw.GetValue<string>();
        }

        var body = entry["base"]?.GetValue<string>() switch
        {
            "problem" => JsonSerializer.SerializeToNode(ApiServer.CirclePackingProblem($"fuzz-{index}"))!.AsObject(),
            "run" => new JsonObject { ["problemId"] = problemId.ToString(), ["settings"] = new JsonObject { ["maxEvaluations"] = 3 } },
            _ => null,
        };
        if (body is null)
        {
            return null;
        }

        foreach (var (name, value) in entry["set"]?.AsObject() ?? [])
        {
            body[name] = value?.DeepClone();
        }

        foreach (var name in entry["unset"]?.AsArray() ?? [])
        {
            body.Remove(name!.GetValue<string>());
        }

        return body.ToJsonString();
    }
}
