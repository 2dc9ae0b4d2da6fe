extern alias FakeLlm;

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EvoCode.Evolver.Persistence;
using EvoCode.Testing;
using FakeLlm::EvoCode.FakeLlm;

namespace EvoCode.Api.Tests.Telemetry;

/// <summary>
/// One finished run, shared by the telemetry tests: circle packing on PostgreSQL with the fake model, a server
/// that requires an API key, logging at Debug, and three planted secrets (the API key, the model key in the
/// variable the model names, the database password) that must never reach the log.
/// </summary>
public sealed class PlantedSecretsRun(StoreFixture stores) : IAsyncLifetime
{
    public const int Budget = 12;

    private FakeLlmServer? _fake;
    private ApiServer? _server;

    public string ApiKey { get; } = $"planted-api-key-{Guid.NewGuid():N}";

    public string ModelKey { get; } = $"sk-planted-model-key-{Guid.NewGuid():N}";

    public string DatabasePassword { get; } = $"planted-db-password-{Guid.NewGuid():N}";

    internal ApiServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>The run as GET /api/runs/{id} answers after it finished.</summary>
    public JsonElement Run { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        _fake = await FakeLlmServer.StartAsync(cancellationToken: ct);
        var database = await stores.CreateDatabaseAsync(StoreProvider.Postgres, ct) + ";Password=" + DatabasePassword;
        _server = await ApiServer.StartAsync(
            new Dictionary<string, string?>
            {
                ["ConnectionStrings__Postgres"] = database,
                ["ApiKeys__Hashes__0"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ApiKey))),
                ["LanguageModels__Models__0__Name"] = "fake",
                ["LanguageModels__Models__0__Provider"] = "openai",
                ["LanguageModels__Models__0__Endpoint"] = _fake.OpenAIEndpoint.ToString(),
                ["LanguageModels__Models__0__Model"] = "fake-model",
                ["LanguageModels__Models__0__ApiKeyVariable"] = "EVOCODE_PLANTED_MODEL_KEY",
                ["LanguageModels__Models__0__InputPricePerMillion"] = "1.0",
                ["LanguageModels__Models__0__OutputPricePerMillion"] = "2.0",
                ["LanguageModels__Models__0__Timeout"] = "00:00:30",
                ["EVOCODE_PLANTED_MODEL_KEY"] = ModelKey,
                ["Logging__LogLevel__Default"] = "Debug",
            },
            ct);
        Server.Http.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);

        var problem = await Server.PostAsync("/api/problems", ApiServer.CirclePackingProblem($"circle-packing-telemetry-{Guid.NewGuid():N}"), ct);
        var run = await Server.PostAsync(
            "/api/runs",
            new { problemId = problem.GetProperty("id").GetGuid(), name = "telemetry", settings = new { maxEvaluations = Budget, islands = 2, models = new Dictionary<string, double> { ["fake"] = 1 } } },
            ct);
        var runId = run.GetProperty("id").GetGuid();

        // The event stream ends with the run.
        await using (var stream = await Server.Http.GetStreamAsync($"/api/runs/{runId}/events", ct))
        {
            await foreach (var _ in SseEvent.ReadAsync(stream, ct))
            {
            }
        }

        Run = await Server.GetAsync($"/api/runs/{runId}", ct);
        Assert.True(Run.GetProperty("status").GetString() == "Completed", $"The run did not complete: {Run}\n{Server.Process.Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_fake is not null)
        {
            await _fake.DisposeAsync();
        }
    }
}
