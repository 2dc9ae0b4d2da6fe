using System.Net.Http.Json;
using System.Text.Json;
using EvoCode.Evolver.Persistence;
using EvoCode.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace EvoCode.Api.Tests.Health;

public sealed class HealthEndpointTests(StoreFixture stores)
{
    [Fact]
    public async Task PublishedServer_StartedFromAnEmptyFolder_ServesTheDashboardAndKeepsRelativeDataBesideItself()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = Directory.CreateTempSubdirectory("evocode-empty-");
        var dataName = $"data-{Guid.NewGuid():N}";
        var published = await PublishedServer.FolderAsync(ct);
        try
        {
            await using var server = await ServerProcess.StartAsync(folder.FullName, new Dictionary<string, string?> { ["Storage__DataDirectory"] = dataName }, ct);
            using var http = new HttpClient { BaseAddress = server.Address };

            var health = await http.GetFromJsonAsync<JsonElement>("/healthz", ct);
            using var index = await http.GetAsync("/", ct);
            using var script = await http.GetAsync("/js/api.js", ct);

            Assert.Equal("ok", health.GetProperty("status").GetString());
            Assert.Equal("0.1.0", health.GetProperty("version").GetString());
            Assert.Equal("sqlite", health.GetProperty("store").GetProperty("provider").GetString());
            var database = Path.Combine(published, dataName, "evocode.db");
            Assert.Equal(database, health.GetProperty("store").GetProperty("location").GetString());
            Assert.True(File.Exists(database), $"Expected the SQLite database at {database}.\n{server.Output}");
            Assert.Empty(folder.GetFileSystemInfos());
            Assert.Equal("full", health.GetProperty("sandbox").GetProperty("isolation").GetString());
            Assert.Equal(System.Net.HttpStatusCode.OK, index.StatusCode);
            Assert.Equal("text/html", index.Content.Headers.ContentType?.MediaType);
            Assert.Equal(System.Net.HttpStatusCode.OK, script.StatusCode);
            Assert.Contains("Content root path: " + published, server.Output, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
            Directory.Delete(Path.Combine(published, dataName), recursive: true);
        }
    }

    [Fact]
    public async Task Healthz_WithPostgresConnectionString_ReportsPostgresWithoutThePassword()
    {
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await stores.CreateDatabaseAsync(StoreProvider.Postgres, ct) + ";Password=never-shown";
        await using var factory = new WebApplicationFactory<Program>()
            .WithWebHostBuilder(b => b.UseSetting("ConnectionStrings:Postgres", connectionString));
        using var http = factory.CreateClient();

        var body = await http.GetStringAsync("/healthz", ct);
        var health = JsonDocument.Parse(body).RootElement;

        Assert.Equal("postgres", health.GetProperty("store").GetProperty("provider").GetString());
        Assert.DoesNotContain("never-shown", body, StringComparison.Ordinal);
    }
}
