using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace EvoCode.Api.Tests.Runs;

/// <summary>The domain's run-settings validation at POST /api/runs, and the model-calls resource of a run.</summary>
public sealed class RunSettingsValidationTests(SharedServer shared) : IClassFixture<SharedServer>
{
    [Fact]
    public async Task StartRun_UnknownOperatorTemplateSelectionAndPolicy_Returns400NamingEachField()
    {
        var ct = TestContext.Current.CancellationToken;
        var server = shared.Server;
        var problem = await server.PostAsync("/api/problems", ApiServer.CirclePackingProblem("packing-unknown-names"), ct);

        using var response = await server.Http.PostAsJsonAsync(
            "/api/runs",
            new
            {
                problemId = problem.GetProperty("id").GetGuid(),
                settings = new
                {
                    operators = new Dictionary<string, double> { ["literal"] = 1, ["telepathy"] = 1, ["diff"] = 1 },
                    promptTemplates = new Dictionary<string, string> { ["sytem"] = "typo" },
                    parentSelection = "roulette",
                    ensemblePolicy = "greedy",
                    fixShareCap = 1.5,
                    maxCallsWithoutChild = 0,
                    topPrograms = 50,
                    promptSectionTokens = new Dictionary<string, int> { ["histroy"] = 100, ["failures"] = -1, ["inspirations"] = 0 },
                },
            },
            ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("errors");
        var fields = errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
            [
                "settings.ensemblePolicy", "settings.fixShareCap", "settings.maxCallsWithoutChild", "settings.operators.diff",
                "settings.operators.telepathy", "settings.parentSelection", "settings.promptSectionTokens.failures",
                "settings.promptSectionTokens.histroy", "settings.promptTemplates.sytem", "settings.topPrograms",
            ],
            fields);
    }

    [Fact]
    public async Task ModelCalls_UnknownRun_Returns404AndBadPageReturns400()
    {
        var ct = TestContext.Current.CancellationToken;
        var server = shared.Server;

        using var missing = await server.Http.GetAsync($"/api/runs/{Guid.NewGuid()}/model-calls", ct);
        using var missingFigures = await server.Http.GetAsync($"/api/runs/{Guid.NewGuid()}/model-calls/by-model", ct);
        using var badPage = await server.Http.GetAsync($"/api/runs/{Guid.NewGuid()}/model-calls?pageSize=0", ct);

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.BadRequest), (missing.StatusCode, missingFigures.StatusCode, badPage.StatusCode));
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }
}
