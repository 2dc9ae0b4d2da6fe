using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Persistence;
using EvoCode.Testing;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Evolver.Tests.Persistence;

public sealed class ArchiveStoreTests(StoreFixture stores)
{
    [Theory]
    [MemberData(nameof(StoreFixture.Providers), MemberType = typeof(StoreFixture))]
    public async Task TryPlaceElite_ManyWritersRaceOnOneCell_ExactlyTheBestWinsAndOneRowRemains(StoreProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var store = await stores.CreateStoreAsync(provider, ct);
        const int writers = 12;
        var scores = Enumerable.Range(1, writers).Select(i => i * 0.125).OrderBy(_ => Random.Shared.Next()).ToArray();
        Guid runId;
        Candidate[] candidates;
        await using (var db = store.CreateDbContext())
        {
            var (_, run) = await StoreSeed.ProblemAndRunAsync(db, ct);
            runId = run.Id;
            candidates = [.. scores.Select((s, i) => StoreSeed.Candidate(run.Id, i + 1, s))];
            db.Candidates.AddRange(candidates);
            await db.SaveChangesAsync(ct);
        }

        var archive = new ArchiveStore(store);
        using var start = new Barrier(writers);
        var wins = await Task.WhenAll(candidates.Select(c => Task.Run(
            async () =>
            {
                // Every writer holds its own connection and starts at the same instant.
                start.SignalAndWait(ct);
                return await archive.TryPlaceEliteAsync(runId, 0, "3-4", c.Id, c.Score!.Value, StoreSeed.Now, ct);
            },
            ct)));

        await using var check = store.CreateDbContext();
        var cells = await check.ArchiveCells.Where(c => c.RunId == runId).ToListAsync(ct);
        var best = candidates.MaxBy(c => c.Score)!;
        var cell = Assert.Single(cells);
        Assert.Equal(best.Id, cell.EliteId);
        Assert.Equal(best.Score, cell.Score);
        Assert.Contains(wins, w => w);
        Assert.True(wins[Array.IndexOf(candidates, best)], "The best writer must report that it placed its elite.");
    }

    [Theory]
    [MemberData(nameof(StoreFixture.Providers), MemberType = typeof(StoreFixture))]
    public async Task TryPlaceElite_EqualOrWorseScore_KeepsTheIncumbent(StoreProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var store = await stores.CreateStoreAsync(provider, ct);
        await using var db = store.CreateDbContext();
        var (_, run) = await StoreSeed.ProblemAndRunAsync(db, ct);
        var incumbent = StoreSeed.Candidate(run.Id, 1, 2.0);
        var equal = StoreSeed.Candidate(run.Id, 2, 2.0);
        var worse = StoreSeed.Candidate(run.Id, 3, 1.5);
        var better = StoreSeed.Candidate(run.Id, 4, 2.5);
        db.Candidates.AddRange(incumbent, equal, worse, better);
        await db.SaveChangesAsync(ct);
        var archive = new ArchiveStore(store);

        Assert.True(await archive.TryPlaceEliteAsync(run.Id, 1, "0", incumbent.Id, 2.0, StoreSeed.Now, ct));
        Assert.False(await archive.TryPlaceEliteAsync(run.Id, 1, "0", equal.Id, 2.0, StoreSeed.Now, ct));
        Assert.False(await archive.TryPlaceEliteAsync(run.Id, 1, "0", worse.Id, 1.5, StoreSeed.Now, ct));
        Assert.Equal(incumbent.Id, (await db.ArchiveCells.AsNoTracking().SingleAsync(c => c.RunId == run.Id, ct)).EliteId);

        Assert.True(await archive.TryPlaceEliteAsync(run.Id, 1, "0", better.Id, 2.5, StoreSeed.Now, ct));
        var cell = await db.ArchiveCells.AsNoTracking().SingleAsync(c => c.RunId == run.Id, ct);
        Assert.Equal(better.Id, cell.EliteId);
        Assert.Equal(2.5, cell.Score);
    }

    [Theory]
    [MemberData(nameof(StoreFixture.Providers), MemberType = typeof(StoreFixture))]
    public async Task TryPlaceElite_SameKeyOnAnotherIslandOrRun_IsAnotherCell(StoreProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var store = await stores.CreateStoreAsync(provider, ct);
        await using var db = store.CreateDbContext();
        var (_, run) = await StoreSeed.ProblemAndRunAsync(db, ct);
        var a = StoreSeed.Candidate(run.Id, 1, 3.0);
        var b = StoreSeed.Candidate(run.Id, 2, 1.0);
        db.Candidates.AddRange(a, b);
        await db.SaveChangesAsync(ct);
        var archive = new ArchiveStore(store);

        Assert.True(await archive.TryPlaceEliteAsync(run.Id, 0, "1-1", a.Id, 3.0, StoreSeed.Now, ct));
        Assert.True(await archive.TryPlaceEliteAsync(run.Id, 1, "1-1", b.Id, 1.0, StoreSeed.Now, ct));
        Assert.Equal(2, await db.ArchiveCells.CountAsync(c => c.RunId == run.Id, ct));
    }

    [Theory]
    [MemberData(nameof(StoreFixture.Providers), MemberType = typeof(StoreFixture))]
    public async Task TryPlaceElite_NonFiniteScore_IsRefused(StoreProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var store = await stores.CreateStoreAsync(provider, ct);
        var archive = new ArchiveStore(store);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => archive.TryPlaceEliteAsync(Guid.NewGuid(), 0, "0", Guid.NewGuid(), double.NaN, StoreSeed.Now, ct));
    }
}
