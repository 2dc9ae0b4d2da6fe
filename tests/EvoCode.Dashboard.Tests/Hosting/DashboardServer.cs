using System.Net.Http.Json;
using System.Text.Json;
using EvoCode.Testing;

namespace EvoCode.Dashboard.Tests.Hosting;

/// <summary>
/// One real server for the whole test assembly: the published server started the production way, from a fresh
/// empty folder with no arguments, so the dashboard, its settings, the examples and its SQLite store (the default
/// <c>data/</c> beside the server) are found where a shipped server finds them. Each test starts its own runs,
/// so tests do not depend on each other.
/// </summary>
public sealed class DashboardServer : IAsyncLifetime
{
    private DirectoryInfo? _folder;
    private ServerProcess? _server;

    public Uri Address => _server?.Address ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>The server's recent log lines, for failure messages.</summary>
    public string Output => _server?.Output ?? string.Empty;

    /// <summary>Runs the circle-packing-26 example with <paramref name="settings"/> through the API to its end; returns the run's id.</summary>
    public async Task<Guid> RunExampleAsync(string name, object settings, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = Address };
        using var created = await http.PostAsync("/api/problems/examples/circle-packing-26", null, cancellationToken);
        created.EnsureSuccessStatusCode();
        var problemId = (await created.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetGuid();
        using var started = await http.PostAsJsonAsync("/api/runs", new { problemId, name = $"{name} {Guid.NewGuid():N}"[..(name.Length + 7)], settings }, cancellationToken);
        Assert.True(started.IsSuccessStatusCode, $"POST /api/runs: {(int)started.StatusCode} {await started.Content.ReadAsStringAsync(cancellationToken)}\n{Output}");
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetGuid();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while ((await http.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}", cancellationToken)).GetProperty("status").GetString() is "Pending" or "Running")
        {
            Assert.True(DateTime.UtcNow < deadline, $"Run {runId} did not finish in time.\n{Output}");
            await Task.Delay(250, cancellationToken);
        }

        return runId;
    }

    public async ValueTask InitializeAsync()
    {
        _folder = Directory.CreateTempSubdirectory("evocode-dashboard-");
        _server = await ServerProcess.StartAsync(
            _folder.FullName,
            new Dictionary<string, string?> { ["Storage__DataDirectory"] = null },
            TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _folder?.Delete(recursive: true);
    }
}
