using EvoCode.Evolver.Search;

namespace EvoCode.Evolver.Tests.Search;

public sealed class ParentSelectorTests
{
    private static IslandArchive Island(int count)
    {
        var island = new IslandArchive(0);
        for (var i = 0; i < count; i++)
        {
            island.Place(new Elite(Guid.NewGuid(), 0, $"c{i}", i, $"h{i}", 0));
        }

        return island;
    }

    [Fact]
    public void PowerLaw_FullExploitation_PrefersBetterRanksInOrder()
    {
        var island = Island(100);
        var selector = new ParentSelector(ParentSelection.PowerLaw, exploitRatio: 1.0, powerLawAlpha: 1.0);
        var random = new RunRandom(5);
        var counts = new int[100];
        for (var i = 0; i < 50_000; i++)
        {
            counts[99 - (int)selector.SelectParent(island, random).Score]++;
        }

        // P(rank r) ~ log((r + 2) / (r + 1)) / log(101): about 15 % for the best, 0.1 % for the worst.
        Assert.InRange(counts[0] / 50_000.0, 0.13, 0.17);
        Assert.True(counts[0] > counts[1] && counts[1] > counts[5] && counts[5] > counts[50]);
        Assert.True(counts[99] > 0, "Every rank keeps a chance.");
    }

    [Fact]
    public void Weighted_EliteWithManyChildren_IsPickedLessOften()
    {
        // Scores 0 and 1: the median is 0, so the weights are sigmoid(10) ~ 1 for the best and sigmoid(0) = 0.5
        // for the other, each divided by 1 + its children.
        var selector = new ParentSelector(ParentSelection.Weighted, exploitRatio: 1.0);
        var random = new RunRandom(9);
        double ShareOfBest(IslandArchive island) =>
            Enumerable.Range(0, 20_000).Count(_ => selector.SelectParent(island, random).Id == island.Best.Id) / 20_000.0;

        var rested = Island(2);
        Assert.InRange(ShareOfBest(rested), 0.64, 0.69);

        var busy = Island(2);
        for (var i = 0; i < 9; i++)
        {
            busy.CountChild(busy.Best.Id);
        }

        // 0.1 against 0.5.
        Assert.InRange(ShareOfBest(busy), 0.15, 0.185);
    }

    [Fact]
    public void HillClimb_FullExploitation_AlwaysPicksTheBest()
    {
        var island = Island(50);
        var selector = new ParentSelector(ParentSelection.HillClimb, exploitRatio: 1.0);
        var random = new RunRandom(1);
        Assert.All(Enumerable.Range(0, 200).Select(_ => selector.SelectParent(island, random)), e => Assert.Equal(49, e.Score));
    }

    [Fact]
    public void HillClimb_NoExploitationAndAPopulation_StillAlwaysPicksTheBest()
    {
        var island = Island(50);
        foreach (var elite in island.Elites)
        {
            island.Remember(elite);
        }

        var selector = new ParentSelector(ParentSelection.HillClimb, exploitRatio: 0.0, populationShare: 1.0);
        var random = new RunRandom(1);
        Assert.All(Enumerable.Range(0, 200).Select(_ => selector.SelectParent(island, random)), e => Assert.Equal(49, e.Score));
    }

    [Fact]
    public void Weighted_OneFarOutlier_KeepsTheOthersApart()
    {
        // Scores 0..19 and one outlier at 1e6: |best - median| would flatten every other weight to ~0.5;
        // the MAD (5) keeps the 19 above the 0 by far.
        var island = new IslandArchive(0);
        for (var i = 0; i < 20; i++)
        {
            island.Place(new Elite(Guid.NewGuid(), 0, $"c{i}", i, $"h{i}", 0));
        }

        island.Place(new Elite(Guid.NewGuid(), 0, "outlier", 1e6, "ho", 0));
        Assert.Equal(10, island.MedianScore);
        Assert.Equal(5, island.MedianAbsoluteDeviation);
        var selector = new ParentSelector(ParentSelection.Weighted, exploitRatio: 1.0);
        var random = new RunRandom(3);
        var draws = Enumerable.Range(0, 20_000).Select(_ => selector.SelectParent(island, random).Score).ToList();
        Assert.True(draws.Count(s => s == 19) > 20 * draws.Count(s => s == 0), $"19: {draws.Count(s => s == 19)}, 0: {draws.Count(s => s == 0)}");
    }

    [Fact]
    public void Weighted_ProposalsInFlight_CountAsChildren()
    {
        var island = Island(2);
        var selector = new ParentSelector(ParentSelection.Weighted, exploitRatio: 1.0);
        var best = island.Best;
        for (var i = 0; i < 50; i++)
        {
            island.StartProposal(best.Id);
        }

        Assert.Equal(50, island.ChildrenOf(best.Id));
        island.CountChild(best.Id);
        Assert.Equal(50, island.ChildrenOf(best.Id));
        island.EndProposal(best.Id);
        Assert.Equal(49, island.ChildrenOf(best.Id));
        var random = new RunRandom(5);
        var bestShare = Enumerable.Range(0, 10_000).Count(_ => selector.SelectParent(island, random).Id == best.Id) / 10_000.0;
        Assert.True(bestShare < 0.5, $"the busy best was drawn {bestShare:P0} of the time");
    }

    [Fact]
    public void Exploration_ZeroExploitRatio_IsUniformOverCells()
    {
        var island = Island(10);
        var selector = new ParentSelector(ParentSelection.PowerLaw, exploitRatio: 0.0);
        var random = new RunRandom(2);
        var counts = Enumerable.Range(0, 20_000).Select(_ => selector.SelectParent(island, random).Score).GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(10, counts.Count);
        Assert.All(counts.Values, c => Assert.InRange(c, 1700, 2300));
    }

    [Fact]
    public void Inspirations_NeverRepeatAndNeverIncludeTheParent()
    {
        var island = Island(30);
        var selector = new ParentSelector(ParentSelection.PowerLaw, 0.7);
        var random = new RunRandom(4);
        for (var i = 0; i < 200; i++)
        {
            var parent = selector.SelectParent(island, random);
            var inspirations = selector.SelectInspirations(island, parent, 4, random);
            Assert.Equal(4, inspirations.Count);
            Assert.DoesNotContain(inspirations, e => e.Id == parent.Id);
            Assert.Equal(4, inspirations.Select(e => e.Id).Distinct().Count());
            Assert.Contains(inspirations, e => e.Id == island.Best.Id || parent.Id == island.Best.Id);
        }
    }

    [Fact]
    public void Parse_UnknownStrategy_SaysWhatIsKnown()
    {
        var error = Assert.Throws<ArgumentException>(() => ParentSelector.Parse("tournament"));
        Assert.Contains("power-law, weighted, uniform, hill-climb or pareto", error.Message, StringComparison.Ordinal);
    }
}
