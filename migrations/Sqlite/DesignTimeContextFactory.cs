using EvoCode.Evolver.Persistence;
using Microsoft.EntityFrameworkCore.Design;

namespace EvoCode.Migrations.Sqlite;

/// <summary>Lets <c>dotnet ef</c> build the SQLite model without starting the server.</summary>
internal sealed class DesignTimeContextFactory : IDesignTimeDbContextFactory<EvoCodeDbContext>
{
    public EvoCodeDbContext CreateDbContext(string[] args) =>
        new(StoreConfiguration.Options(StoreProvider.Sqlite, StoreConfiguration.SqliteConnectionString("design-time.db")));
}
