namespace EvoCode.Evolver.Persistence;

/// <summary>The chosen provider and connection string. Never serialized: the string may hold a password.</summary>
public sealed class StoreConnection(StoreProvider provider, string connectionString)
{
    public StoreProvider Provider { get; } = provider;

    public string ConnectionString { get; } = connectionString;

    public StoreDescription Description { get; } = StoreConfiguration.Describe(provider, connectionString);
}
