using Microsoft.EntityFrameworkCore;

namespace EvoCode.Evolver.Persistence;

/// <summary>
/// The archive's insert rule as one statement: a program becomes a cell's elite only if the cell is empty or
/// it is strictly better. The upsert's conditional update is evaluated by the database against the row as it
/// is at that moment (PostgreSQL locks the conflicting row; SQLite serializes writers), so racing writers, in
/// one process or many, can neither lose an update nor create a second row for the cell. A neutral move (the
/// engine decided the elite is old enough) also lets an equal score take the cell.
/// </summary>
public sealed class ArchiveStore(IDbContextFactory<EvoCodeDbContext> contexts)
{
    /// <summary>Offers a program to a cell. Returns whether it is now the cell's elite.</summary>
    public async Task<bool> TryPlaceEliteAsync(Guid runId, int island, string cellKey, Guid candidateId, double score, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await TryPlaceEliteAsync(db, runId, island, cellKey, candidateId, score, now, cancellationToken);
    }

    /// <summary>Offers a program to a cell inside the caller's context (and transaction, if any).</summary>
    public static async Task<bool> TryPlaceEliteAsync(EvoCodeDbContext db, Guid runId, int island, string cellKey, Guid candidateId, double score, DateTimeOffset now, CancellationToken cancellationToken, bool neutral = false)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!double.IsFinite(score))
        {
            throw new ArgumentOutOfRangeException(nameof(score), score, "An elite's score must be finite.");
        }

        var table = db.IsPostgres ? $"{EvoCodeDbContext.Schema}.archive_cells" : "archive_cells";
        object updatedAt = db.IsPostgres ? now : now.ToUnixTimeMilliseconds();
        object run = db.IsPostgres ? runId : runId.ToString().ToUpperInvariant();
        object elite = db.IsPostgres ? candidateId : candidateId.ToString().ToUpperInvariant();

        // Table names cannot be parameters; they come from constants above, never from input.
#pragma warning disable EF1002
        var affected = await db.Database.ExecuteSqlRawAsync(
            $$"""
            INSERT INTO {{table}} (run_id, island, cell_key, elite_id, score, updated_at)
            VALUES ({0}, {1}, {2}, {3}, {4}, {5})
            ON CONFLICT (run_id, island, cell_key) DO UPDATE
                SET elite_id = excluded.elite_id, score = excluded.score, updated_at = excluded.updated_at
                WHERE archive_cells.score < excluded.score OR ({6} = 1 AND archive_cells.score = excluded.score)
            """,
            [run, island, cellKey, elite, score, updatedAt, neutral ? 1 : 0],
            cancellationToken);
#pragma warning restore EF1002
        return affected == 1;
    }
}
