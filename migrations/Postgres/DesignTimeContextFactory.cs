using EvoCode.Evolver.Persistence;
using Microsoft.EntityFrameworkCore.Design;

namespace EvoCode.Migrations.Postgres;

/// <summary>Lets <c>dotnet ef</c> build the PostgreSQL model without a server; no connection is opened to add a migration.</summary>
internal sealed class DesignTimeContextFactory : IDesignTimeDbContextFactory<EvoCodeDbContext>
{
    public EvoCodeDbContext CreateDbContext(string[] args) =>
        new(StoreConfiguration.Options(StoreProvider.Postgres, "Host=localhost;Database=evocode;Username=evocode"));
}
