namespace EvoCode.Evolver.Persistence;

/// <summary>Which store is in use, safe to show (no password).</summary>
/// <param name="Provider">SQLite or PostgreSQL.</param>
/// <param name="Location">The SQLite file, or PostgreSQL host/port/database.</param>
public sealed record StoreDescription(StoreProvider Provider, string Location);
