using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Persistence;
using EvoCode.Testing;

namespace EvoCode.Dashboard.Tests.Seeded;

/// <summary>
/// A server over a store seeded before it starts with a finished 150-program run and a paused 100,000-program
/// run, started the same way as <see cref="Hosting.DashboardServer"/>.
/// </summary>
public sealed class SeededServer : IAsyncLifetime
{
    private DirectoryInfo? _folder;
    private ServerProcess? _server;

    public Uri Address => _server?.Address ?? throw new InvalidOperationException("The server has not started.");

    public SeededRun Small { get; private set; } = null!;

    public SeededRun Large { get; private set; } = null!;

    public string Output => _server?.Output ?? string.Empty;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        _folder = Directory.CreateTempSubdirectory("evocode-dashboard-seeded-");
        var data = Path.Combine(_folder.FullName, "data");
        Directory.CreateDirectory(data);
        var store = new TestStore(StoreProvider.Sqlite, StoreConfiguration.SqliteConnectionString(Path.Combine(data, "evocode.db")));
        await StoreMigrator.MigrateAsync(store, StoreProvider.Sqlite, ct);
        Small = await SeededRun.WriteAsync(store, 150, RunStatus.Completed, ct);
        Large = await SeededRun.WriteAsync(store, 100_000, RunStatus.Paused, ct);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        _server = await ServerProcess.StartAsync(
            _folder.FullName,
            new Dictionary<string, string?>
            {
                ["Storage__DataDirectory"] = data,
            },
            ct);
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
