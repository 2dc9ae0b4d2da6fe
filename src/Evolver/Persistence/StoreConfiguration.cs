using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EvoCode.Evolver.Persistence;

/// <summary>Configures an <see cref="EvoCodeDbContext"/> for one provider; used by the server, the tests and the design-time factories.</summary>
public static class StoreConfiguration
{
    public const string SqliteMigrationsAssembly = "EvoCode.Migrations.Sqlite";

    public const string PostgresMigrationsAssembly = "EvoCode.Migrations.Postgres";

    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder, StoreProvider provider, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        _ = provider switch
        {
            StoreProvider.Postgres => builder.UseNpgsql(connectionString, o => o.MigrationsAssembly(PostgresMigrationsAssembly)),
            StoreProvider.Sqlite => builder.UseSqlite(connectionString, o => o.MigrationsAssembly(SqliteMigrationsAssembly)).AddInterceptors(SqliteDurability.Instance),
            _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown store provider."),
        };
        builder.UseSnakeCaseNamingConvention();
        return builder;
    }

    public static DbContextOptions<EvoCodeDbContext> Options(StoreProvider provider, string connectionString)
    {
        var builder = new DbContextOptionsBuilder<EvoCodeDbContext>();
        Configure(builder, provider, connectionString);
        return builder.Options;
    }

    /// <summary>An SQLite connection string for a file, with a busy timeout so concurrent writers wait instead of failing.</summary>
    public static string SqliteConnectionString(string path) =>
        new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            DefaultTimeout = 60,
            Pooling = true,
        }.ToString();

    public static StoreDescription Describe(StoreProvider provider, string connectionString)
    {
        if (provider == StoreProvider.Sqlite)
        {
            return new StoreDescription(provider, new SqliteConnectionStringBuilder(connectionString).DataSource);
        }

        var pg = new NpgsqlConnectionStringBuilder(connectionString);
        return new StoreDescription(provider, $"{pg.Host}:{pg.Port}/{pg.Database}");
    }
}
