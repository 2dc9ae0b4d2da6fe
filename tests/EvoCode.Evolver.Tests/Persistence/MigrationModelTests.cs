using EvoCode.Evolver.Persistence;
using EvoCode.Testing;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Evolver.Tests.Persistence;

/// <summary>Migrations are written by hand when `dotnet ef` is missing: the model they build must be the context's.</summary>
public sealed class MigrationModelTests(StoreFixture stores)
{
    [Theory]
    [MemberData(nameof(StoreFixture.Providers), MemberType = typeof(StoreFixture))]
    public async Task MigratedStore_HasNoPendingModelChanges_AndHoldsTheFrontMembersTable(StoreProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var store = await stores.CreateStoreAsync(provider, ct);
        await using var db = store.CreateDbContext();

        Assert.False(db.Database.HasPendingModelChanges());
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(ct));
        Assert.Contains(await db.Database.GetAppliedMigrationsAsync(ct), m => m.EndsWith("_Issue19ParetoFronts", StringComparison.Ordinal));
        Assert.Equal(0, await db.FrontMembers.CountAsync(ct));
    }
}
