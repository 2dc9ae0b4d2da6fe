using EvoCode.Testing;

namespace EvoCode.Dashboard.Tests.Hosting;

/// <summary>
/// One real server for the whole test assembly, in a fresh temp folder with its own SQLite store. The example
/// problems are the ones the server's project copies beside it. Each test starts its own runs, so tests do not
/// depend on each other.
/// </summary>
public sealed class DashboardServer : IAsyncLifetime
{
    private DirectoryInfo? _folder;
    private ServerProcess? _server;

    public Uri Address => _server?.Address ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>The server's recent log lines, for failure messages.</summary>
    public string Output => _server?.Output ?? string.Empty;

    public async ValueTask InitializeAsync()
    {
        _folder = Directory.CreateTempSubdirectory("evocode-dashboard-");
        // The temp folder has no wwwroot of its own: serve the dashboard files copied beside the tests.
        _server = await ServerProcess.StartAsync(
            _folder.FullName,
            new Dictionary<string, string?> { ["Examples__Path"] = Path.Combine(AppContext.BaseDirectory, "examples") },
            TestContext.Current.CancellationToken,
            "--webroot",
            Path.Combine(AppContext.BaseDirectory, "wwwroot"));
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
