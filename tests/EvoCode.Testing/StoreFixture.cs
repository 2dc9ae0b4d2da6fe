using EvoCode.Evolver.Persistence;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Testing;

/// <summary>
/// Fresh, migrated stores on either provider. Use as an assembly fixture:
/// <c>[assembly: AssemblyFixture(typeof(StoreFixture))]</c>. PostgreSQL starts on first use only.
/// </summary>
public sealed class StoreFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _sqliteFolder = Directory.CreateTempSubdirectory("evocode-sqlite-").FullName;
    private PostgresServer? _postgres;

    /// <summary>Both providers, for theories: every storage test runs on each.</summary>
    public static TheoryData<StoreProvider> Providers => new(StoreProvider.Sqlite, StoreProvider.Postgres);

    /// <summary>A connection string to a new, empty database on the provider.</summary>
    public async Task<string> CreateDatabaseAsync(StoreProvider provider, CancellationToken cancellationToken = default)
    {
        if (provider == StoreProvider.Sqlite)
        {
            return StoreConfiguration.SqliteConnectionString(Path.Combine(_sqliteFolder, $"{Guid.NewGuid():N}.db"));
        }

        var server = await PostgresAsync(cancellationToken);
        return await server.CreateDatabaseAsync("evocode_test", cancellationToken);
    }

    /// <summary>A new database, migrated, with a context factory on it.</summary>
    public async Task<TestStore> CreateStoreAsync(StoreProvider provider, CancellationToken cancellationToken = default)
    {
        var connectionString = await CreateDatabaseAsync(provider, cancellationToken);
        var store = new TestStore(provider, connectionString);
        await StoreMigrator.MigrateAsync(store, provider, cancellationToken);
        return store;
    }

    public async Task<PostgresServer> PostgresAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return _postgres ??= await PostgresServer.StartAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_sqliteFolder, recursive: true);
        _gate.Dispose();
    }
}

/// <summary>A migrated test database and a factory of contexts on it.</summary>
public sealed class TestStore(StoreProvider provider, string connectionString) : IDbContextFactory<EvoCodeDbContext>
{
    public StoreProvider Provider { get; } = provider;

    public string ConnectionString { get; } = connectionString;

    public EvoCodeDbContext CreateDbContext() => new(StoreConfiguration.Options(Provider, ConnectionString));
}
