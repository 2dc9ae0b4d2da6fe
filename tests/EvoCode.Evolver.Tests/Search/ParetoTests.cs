using EvoCode.Evolver.Search;

namespace EvoCode.Evolver.Tests.Search;

/// <summary>Dominance, ranks, crowding and the bounded cell front on hand-made points (higher is better in each component).</summary>
public sealed class ParetoTests
{
    // A (1,5), B (2,4), C (3,3) are mutually non-dominated; D (2,2) is dominated by B and C; E equals C; F (0,5) is dominated by A only.
    private static readonly IReadOnlyList<double>[] s_points = [[1, 5], [2, 4], [3, 3], [2, 2], [3, 3], [0, 5]];

    [Fact]
    public void Dominates_EqualVectors_NeitherDominates()
    {
        Assert.False(Pareto.Dominates([3, 3], [3, 3]));
        Assert.True(Pareto.Dominates([1, 5], [0, 5]));
        Assert.False(Pareto.Dominates([0, 5], [1, 5]));
        Assert.False(Pareto.Dominates([1, 5], [2, 4]));
    }

    [Fact]
    public void NonDominated_TiesAndDuplicates_KeepsEveryEqualPointInInputOrder()
    {
        Assert.Equal([0, 1, 2, 4], Pareto.NonDominated(s_points));
    }

    [Fact]
    public void Ranks_DominatedPoints_GetTheNextRank()
    {
        Assert.Equal([0, 0, 0, 1, 0, 1], Pareto.Ranks(s_points));
        Assert.Equal([2, 1, 0], Pareto.Ranks([[1, 1], [2, 2], [3, 3]]));
    }

    [Fact]
    public void Crowding_ThreePoints_ExtremesAreInfiniteAndTheMiddleSumsItsNormalizedGaps()
    {
        // Objective 0: (3 - 1) / 2; objective 1: (5 - 3) / 2.
        Assert.Equal([double.PositiveInfinity, 2.0, double.PositiveInfinity], Pareto.Crowding([[1, 5], [2, 4], [3, 3]]));
    }

    [Fact]
    public void Crowding_OneObjective_OnlyTheExtremesAreInfinite()
    {
        Assert.Equal([double.PositiveInfinity, double.PositiveInfinity, 1.0], Pareto.Crowding([[1], [3], [2]]));
    }

    [Fact]
    public void Crowding_AnObjectiveWhereAllAreEqual_AddsNoGapOnlyItsFirstAndLastInInputOrder()
    {
        Assert.Equal([double.PositiveInfinity, 2.0 / 3, 2.0 / 3, double.PositiveInfinity], Pareto.Crowding([[0, 7], [1, 7], [2, 7], [3, 7]]));
    }

    [Fact]
    public void Plan_OverTheBound_TheMostCrowdedMemberLeaves()
    {
        var fronts = new CellFronts();
        Offer(fronts, 1, [1, 5], 2);
        Offer(fronts, 2, [2, 4], 2);

        var change = Offer(fronts, 3, [3, 3], 2);

        Assert.True(change.Enters);
        Assert.Equal([2L], change.Leaving.Select(m => m.Sequence));
        Assert.Equal([1L, 3L], fronts["c"].Select(m => m.Sequence));
    }

    [Fact]
    public void Plan_ADominatedNewcomer_DoesNotEnter()
    {
        var fronts = new CellFronts();
        Offer(fronts, 1, [2, 4], 8);

        var change = Offer(fronts, 2, [2, 2], 8);

        Assert.False(change.Enters);
        Assert.Equal([1L], fronts["c"].Select(m => m.Sequence));
    }

    [Fact]
    public void Plan_ANewcomerThatDominatesMembers_RemovesExactlyThem()
    {
        var fronts = new CellFronts();
        Offer(fronts, 1, [1, 5], 8);
        Offer(fronts, 2, [2, 4], 8);
        Offer(fronts, 3, [0, 9], 8);

        var change = Offer(fronts, 4, [2, 5], 8);

        Assert.True(change.Enters);
        Assert.Equal([1L, 2L], change.Leaving.Select(m => m.Sequence));
        Assert.Equal([3L, 4L], fronts["c"].Select(m => m.Sequence));
    }

    [Fact]
    public void Plan_ADuplicateWithinTheBound_EntersAndOverTheBound_TheNewestOfEqualsLeaves()
    {
        var roomy = new CellFronts();
        Offer(roomy, 1, [1, 5], 3);
        Offer(roomy, 2, [2, 4], 3);
        Assert.True(Offer(roomy, 3, [2, 4], 3).Enters);
        Assert.Equal([1L, 2L, 3L], roomy["c"].Select(m => m.Sequence));

        // Every member is an extreme of some objective (infinite crowding): the newcomer is the newest, so it leaves.
        var tight = new CellFronts();
        Offer(tight, 1, [1, 5], 2);
        Offer(tight, 2, [2, 4], 2);
        var change = Offer(tight, 3, [2, 4], 2);
        Assert.False(change.Enters);
        Assert.Equal([1L, 2L], tight["c"].Select(m => m.Sequence));
    }

    [Fact]
    public void Plan_OneObjective_KeepsOnlyTheBestAndItsTies()
    {
        var fronts = new CellFronts();
        Offer(fronts, 1, [1], 8);
        Offer(fronts, 2, [3], 8);
        Offer(fronts, 3, [2], 8);
        Offer(fronts, 4, [3], 8);

        Assert.Equal([2L, 4L], fronts["c"].Select(m => m.Sequence));
    }

    [Fact]
    public void Tournament_RankThenCrowding_PicksTheBetterOfTwoDraws()
    {
        var fronts = new CellFronts();
        Offer(fronts, 1, [1, 5], 8, "a");
        Offer(fronts, 2, [0, 0], 8, "b");

        // Over many draws only a rank-0 member, or the dominated one drawn against itself, can win.
        var random = new RunRandom(3);
        var winners = Enumerable.Range(0, 200).Select(_ => ParentSelector.Tournament(fronts, random).CellKey).ToList();
        var (ranks, _) = fronts.Order();
        Assert.Equal([0, 1], ranks);
        Assert.InRange(winners.Count(w => w == "b"), 1, 100);
    }

    private static FrontChange Offer(CellFronts fronts, long sequence, double[] values, int bound, string cell = "c")
    {
        var program = new Elite(Guid.NewGuid(), 0, cell, values[0], $"h{sequence}", 0);
        var change = fronts.Plan(cell, new FrontPoint(program, sequence, values), bound);
        fronts.Apply(change);
        return change;
    }
}
