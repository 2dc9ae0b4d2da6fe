using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EvoCode.Evolver.Persistence;

/// <summary>
/// Brings the schema up to date before the server serves anything: it runs in <c>StartAsync</c> on purpose,
/// so the engine and the endpoints never see an old schema. EF Core 9+ takes a migration lock, so several
/// servers starting at once on one PostgreSQL database are safe.
/// </summary>
public sealed partial class StoreMigrator(
    IDbContextFactory<EvoCodeDbContext> contexts,
    StoreConnection store,
    IOptions<StorageOptions> options,
    ILogger<StoreMigrator> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.MigrateOnStart)
        {
            return;
        }

        await MigrateAsync(contexts, store.Provider, cancellationToken);
        LogMigrated(logger, store.Provider, store.Description.Location);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Applies pending migrations; on SQLite also switches to WAL so readers do not block the writer.</summary>
    public static async Task MigrateAsync(IDbContextFactory<EvoCodeDbContext> contexts, StoreProvider provider, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (provider == StoreProvider.Sqlite)
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        await db.Database.MigrateAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Store ready: {Provider} at {Location}")]
    private static partial void LogMigrated(ILogger logger, StoreProvider provider, string location);
}
