using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EvoCode.Evolver.Persistence;

/// <summary>
/// Every SQLite connection runs with <c>synchronous=NORMAL</c> (the store is in WAL mode): a commit no longer waits
/// for an fsync of the log, which was half of each commit's time on this machine. The file stays consistent after
/// any crash; an operating-system crash or power loss may roll back the last commits, and a run resumes from what
/// was stored (ADR-025). PostgreSQL keeps its own settings.
/// </summary>
internal sealed class SqliteDurability : DbConnectionInterceptor
{
    public static SqliteDurability Instance { get; } = new();

    private const string Pragma = "PRAGMA synchronous=NORMAL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
