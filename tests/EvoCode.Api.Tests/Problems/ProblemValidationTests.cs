using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EvoCode.Api.Tests.Problems;

public sealed class ProblemValidationTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private const string Marked = "// EVOLVE-BLOCK-START\n{0}\n// EVOLVE-BLOCK-END\n";

    public static TheoryData<string, string, string> BadProblems => new()
    {
        { "malformed JSON", "{\"name\": \"x\", ", "body" },
        { "wrong type", """{"name": 5}""", "name" },
        { "unknown evaluator", Problem(evaluatorId: "no-such-evaluator"), "evaluator.id" },
        { "evaluator parameter out of range", Problem(parameters: new JsonObject { ["n"] = -3 }), "evaluator.parameters.n" },
        { "seed without markers", Problem(seed: "public static class CirclePacking { }"), "seed" },
        { "seed that does not compile", Problem(seed: string.Format(System.Globalization.CultureInfo.InvariantCulture, Marked, "public static class CirclePacking { int x = ; }")), "seed" },
        { "seed over the size limit", Problem(seed: string.Format(System.Globalization.CultureInfo.InvariantCulture, Marked, "// " + new string('x', 70_000))), "seed" },
        { "budget out of range", Problem(defaults: new JsonObject { ["maxEvaluations"] = 0 }), "defaults.maxEvaluations" },
        { "unknown setting", Problem(defaults: new JsonObject { ["maxEvaluationz"] = 10 }), "defaults.maxEvaluationz" },
        { "bad feature dimension", Problem(features: new JsonArray(new JsonObject { ["name"] = "radius_std", ["min"] = 1, ["max"] = 0, ["bins"] = 4 })), "features" },
        { "missing name", """{"description": "d"}""", "name" },
        { "unknown language", Problem(language: "cobol"), "language" },
        { "python seed with C# markers", PythonProblem(PythonSeed.Replace("# EVOLVE", "// EVOLVE", StringComparison.Ordinal)), "seed" },
        { "python seed with a syntax error", PythonProblem(PythonSeed.Replace("return [start] * dimensions", "return [start] * (dimensions", StringComparison.Ordinal)), "seed" },
        { "command evaluator whose candidate file names no language", PythonProblem(PythonSeed, candidateFile: "candidate.unknown"), "language" },
    };

    [Theory]
    [MemberData(nameof(BadProblems))]
    public async Task CreateProblem_BadInput_Returns400WithTheFieldError(string scenario, string body, string field)
    {
        var ct = TestContext.Current.CancellationToken;
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await shared.Server.Http.PostAsync("/api/problems", content, ct);

        var text = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{scenario}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"{scenario}: no error for '{field}' in {text}");
        Assert.NotEqual(0, messages.GetArrayLength());
    }

    [Fact]
    public async Task CreateProblem_BodyOverTheRequestLimit_Returns413ProblemNot500()
    {
        var ct = TestContext.Current.CancellationToken;
        using var content = new StringContent(Problem(seed: new string('x', 1_200_000)), Encoding.UTF8, "application/json");

        using var response = await shared.Server.Http.PostAsync("/api/problems", content, ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task CreateProblem_ValidCirclePacking_Returns201ThenGetListAndDuplicateConflict()
    {
        var ct = TestContext.Current.CancellationToken;
        var server = shared.Server;

        var created = await server.PostAsync("/api/problems", ApiServer.CirclePackingProblem("packing-valid", defaults: new { maxEvaluations = 30, islands = 3 }), ct);
        var id = created.GetProperty("id").GetGuid();
        var fetched = await server.GetAsync($"/api/problems/{id}", ct);
        var listed = await server.GetAsync("/api/problems", ct);
        using var duplicate = await server.Http.PostAsJsonAsync("/api/problems", ApiServer.CirclePackingProblem("packing-valid"), ct);

        Assert.Equal("packing-valid", fetched.GetProperty("name").GetString());
        Assert.Equal("circle-packing", fetched.GetProperty("evaluatorId").GetString());
        Assert.Equal("csharp", fetched.GetProperty("language").GetString());
        Assert.Equal(26, fetched.GetProperty("evaluatorParameters").GetProperty("n").GetInt32());
        Assert.Equal(30, fetched.GetProperty("defaults").GetProperty("maxEvaluations").GetInt32());
        Assert.Equal(3, fetched.GetProperty("defaults").GetProperty("islands").GetInt32());
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), p => p.GetProperty("id").GetGuid() == id);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
    }

    [Fact]
    public async Task GetProblem_UnknownId_Returns404Problem()
    {
        var ct = TestContext.Current.CancellationToken;

        using var response = await shared.Server.Http.GetAsync($"/api/problems/{Guid.NewGuid()}", ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task CreateProblem_PythonSeedWithoutALanguage_IsStoredAsPythonFromTheCandidateFile()
    {
        var ct = TestContext.Current.CancellationToken;
        using var content = new StringContent(PythonProblem(PythonSeed), Encoding.UTF8, "application/json");

        using var response = await shared.Server.Http.PostAsync("/api/problems", content, ct);

        var text = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {text}");
        var id = JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
        var fetched = await shared.Server.Http.GetFromJsonAsync<JsonElement>($"/api/problems/{id}", ct);
        Assert.Equal("python", fetched.GetProperty("language").GetString());
    }

    private static string PythonSeed => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "examples", "python-rastrigin", "seed.py"));

    private static string PythonProblem(string seed, string candidateFile = "candidate.py") => Problem(
        seed,
        "external-command",
        new JsonObject
        {
            ["candidateFile"] = candidateFile,
            ["run"] = new JsonObject { ["command"] = "python3", ["arguments"] = new JsonArray(candidateFile) },
            ["score"] = new JsonObject { ["command"] = "python3", ["arguments"] = new JsonArray("score.py") },
            ["files"] = new JsonObject { ["score.py"] = "print('{\"correct\": true, \"score\": 1}')" },
        });

    private static string Problem(string? seed = null, string evaluatorId = "circle-packing", JsonObject? parameters = null, JsonObject? defaults = null, JsonArray? features = null, string? language = null)
    {
        var body = new JsonObject
        {
            ["name"] = "bad-" + Guid.NewGuid().ToString("N")[..8],
            ["description"] = "Pack circles.",
            ["seed"] = seed ?? ApiServer.CirclePackingSeed(),
            ["evaluator"] = new JsonObject { ["id"] = evaluatorId, ["parameters"] = parameters ?? new JsonObject { ["n"] = 26 } },
        };
        if (language is not null)
        {
            body["language"] = language;
        }

        if (defaults is not null)
        {
            body["defaults"] = defaults;
        }

        if (features is not null)
        {
            body["features"] = features;
        }

        return body.ToJsonString();
    }
}
