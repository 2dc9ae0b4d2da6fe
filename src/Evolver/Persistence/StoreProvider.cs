namespace EvoCode.Evolver.Persistence;

/// <summary>The database behind the store.</summary>
public enum StoreProvider
{
    Sqlite,
    Postgres,
}
