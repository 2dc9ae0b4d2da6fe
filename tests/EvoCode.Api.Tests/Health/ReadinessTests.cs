using System.Net;
using System.Text.Json;
using EvoCode.Testing;

namespace EvoCode.Api.Tests.Health;

/// <summary>Readiness follows the database: a PostgreSQL of this test's own is stopped under a running server and started again.</summary>
public sealed class ReadinessTests
{
    private static readonly TimeSpan s_patience = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Ready_WhenPostgresStopsAndReturns_GoesUnhealthyThenHealthyAgain_WhileLiveStaysUp()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var postgres = await PostgresServer.StartClusterAsync(ct);
        var database = await postgres.CreateDatabaseAsync("evocode_ready", ct);
        await using var server = await ApiServer.StartAsync(new Dictionary<string, string?> { ["ConnectionStrings__Postgres"] = database }, ct);

        var (status, ready) = await WaitForAsync(server, "/health/ready", "healthy", ct);
        Assert.Equal(HttpStatusCode.OK, status);
        var checks = ready.GetProperty("checks");
        Assert.Equal(["database", "examples", "migrations", "sandbox", "warmup"], checks.EnumerateObject().Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.All(checks.EnumerateObject(), c => Assert.Equal("healthy", c.Value.GetProperty("status").GetString()));

        await postgres.StopAsync(ct);
        (status, ready) = await WaitForAsync(server, "/health/ready", "unhealthy", ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("unhealthy", ready.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("healthy", ready.GetProperty("checks").GetProperty("examples").GetProperty("status").GetString());
        var (liveStatus, live) = await GetAsync(server, "/health/live", ct);
        Assert.Equal(HttpStatusCode.OK, liveStatus);
        Assert.Equal("healthy", live.GetProperty("status").GetString());

        await postgres.RestartAsync(ct);
        (status, _) = await WaitForAsync(server, "/health/ready", "healthy", ct);
        Assert.Equal(HttpStatusCode.OK, status);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> WaitForAsync(ApiServer server, string path, string expected, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + s_patience;
        while (true)
        {
            var (status, body) = await GetAsync(server, path, ct);
            if (body.GetProperty("status").GetString() == expected || DateTime.UtcNow > deadline)
            {
                Assert.True(body.GetProperty("status").GetString() == expected, $"{path} stayed {body} instead of {expected}.\n{server.Process.Output}");
                return (status, body);
            }

            await Task.Delay(500, ct);
        }
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(ApiServer server, string path, CancellationToken ct)
    {
        using var response = await server.Http.GetAsync(path, ct);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement.Clone());
    }
}
