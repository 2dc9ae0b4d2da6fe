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
