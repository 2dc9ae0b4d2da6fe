using EvoCode.Evolver.Search;

namespace EvoCode.Evolver.Tests.Search;

public sealed class IslandArchiveTests
{
    [Fact]
    public void Ranking_AfterRandomPlacementsAndReplacements_MatchesASortedReference()
    {
        var random = new RunRandom(3);
        var island = new IslandArchive(0);
        var reference = new Dictionary<string, Elite>();
        var arrival = new Dictionary<Guid, int>();
        for (var i = 0; i < 3000; i++)
        {
            var cell = $"c{random.Next(500)}";
            var elite = new Elite(Guid.NewGuid(), 0, cell, Math.Round(random.NextDouble() * 100, 1), $"h{i}", 1);
            if (island.WouldImprove(cell, elite.Score))
            {
                island.Place(elite);
                reference[cell] = elite;
                arrival[elite.Id] = i;
            }
        }

        // Equal scores rank by arrival, the earlier first (what a lockstep run repeats; ids are random).
        var sorted = reference.Values.OrderByDescending(e => e.Score).ThenBy(e => arrival[e.Id]).ToList();
        Assert.Equal(sorted.Count, island.Count);
        for (var rank = 0; rank < sorted.Count; rank++)
        {
            Assert.Equal(sorted[rank].Id, island.ByRank(rank).Id);
        }

        Assert.Equal(sorted[0].Id, island.Best.Id);
        Assert.Equal(sorted[sorted.Count / 2].Score, island.MedianScore);
        Assert.All(reference.Values, e => Assert.True(island.HoldsCode(e.CodeHash)));
    }

    [Fact]
    public void WouldImprove_EqualScore_IsNotAnImprovement()
    {
        var island = new IslandArchive(0);
        island.Place(new Elite(Guid.NewGuid(), 0, "a", 1.0, "h", 0));

        Assert.False(island.WouldImprove("a", 1.0));
        Assert.True(island.WouldImprove("a", 1.0000001));
        Assert.True(island.WouldImprove("b", -5));
    }

    [Fact]
    public void Place_ReplacedElite_IsForgottenByRankingAndHashes()
    {
        var island = new IslandArchive(0);
        var old = new Elite(Guid.NewGuid(), 0, "a", 1.0, "old", 0);
        island.Place(old);
        island.Place(new Elite(Guid.NewGuid(), 0, "a", 2.0, "new", 1));

        Assert.Equal(1, island.Count);
        Assert.False(island.Contains(old.Id));
        Assert.False(island.HoldsCode("old"));
        Assert.Equal(2.0, island.Best.Score);
    }
}
