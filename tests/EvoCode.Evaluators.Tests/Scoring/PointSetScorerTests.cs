using EvoCode.Evaluators.Problems.PointSets;

namespace EvoCode.Evaluators.Tests.Scoring;

public sealed class PointSetScorerTests
{
    [Theory]
    [InlineData("min_max_distance_ratio_2d_n16", 16, 2, "12.889266112035")]
    [InlineData("min_max_distance_ratio_3d_n14", 14, 3, "4.165849767226")]
    public void MinMax_PublishedConstruction_GivesCheckValue(string key, int n, int d, string check)
    {
        var result = new MinMaxDistanceScorer(n, d).Score(Constructions.Output(Constructions.Rows(key, "points")));

        Assert.True(result.Correct, result.Error);
        Constructions.AssertDigits(check, result.Metrics["ratio_squared"]);
        Assert.Equal(1 / result.Metrics["ratio_squared"], result.Score, 15);
    }

    [Fact]
    public void MinMax_CoincidingPoints_AreRejectedNamingThePair()
    {
        double[][] points = [[0, 0], [1, 0], [0, 1], [1, 0]];

        var result = new MinMaxDistanceScorer(4, 2).Score(Constructions.Output(points));

        Assert.False(result.Correct);
        Assert.Equal("Points 1 and 3 coincide; every pair of points must be apart.", result.Error);
    }

    [Fact]
    public void MinMax_WrongDimension_IsRejectedNamingThePoint()
    {
        var result = new MinMaxDistanceScorer(2, 3).Score("""{"rows":[[0,0,0],[1,1]]}""");

        Assert.False(result.Correct);
        Assert.Equal("Point 1 has 2 coordinates; expected 3.", result.Error);
    }

    [Fact]
    public void HeilbronnTriangle_PublishedConstruction_GivesCheckValue()
    {
        var result = new HeilbronnTriangleScorer(11).Score(Constructions.Output(Constructions.Rows("heilbronn_triangle_n11", "points")));

        Assert.True(result.Correct, result.Error);
        Constructions.AssertDigits("0.036529889880", result.Score);
    }

    [Fact]
    public void HeilbronnTriangle_PointBelowTheBase_IsRejectedNamingThePoint()
    {
        var points = Constructions.Rows("heilbronn_triangle_n11", "points");
        points[3] = [0.5, -1e-12];

        var result = new HeilbronnTriangleScorer(11).Score(Constructions.Output(points));

        Assert.False(result.Correct);
        Assert.StartsWith("Point 3 lies outside the triangle, below the base by 1.0e-12", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void HeilbronnTriangle_PointBeyondTheRightSide_IsRejected()
    {
        double[][] points = [[0, 0], [1, 0], [0.5, Math.Sqrt(3) / 2], [0.9, 0.2]];

        var result = new HeilbronnTriangleScorer(4).Score(Constructions.Output(points));

        Assert.False(result.Correct);
        Assert.StartsWith("Point 3 lies outside the triangle, beyond the right side", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void HeilbronnTriangle_NaN_IsRejected()
    {
        var result = new HeilbronnTriangleScorer(3).Score("""{"rows":[[0,0],[1,0],["NaN",0.5]]}""");

        Assert.False(result.Correct);
        Assert.Equal("Point 2 has a non-finite coordinate 0 (NaN).", result.Error);
    }

    [Theory]
    [InlineData("heilbronn_convex_n13", 13, "0.030936889035")]
    [InlineData("heilbronn_convex_n14", 14, "0.027835571458")]
    public void HeilbronnConvex_PublishedConstruction_GivesCheckValue(string key, int n, string check)
    {
        var result = new HeilbronnConvexScorer(n).Score(Constructions.Output(Constructions.Rows(key, "points")));

        Assert.True(result.Correct, result.Error);
        Constructions.AssertDigits(check, result.Score);
    }

    [Fact]
    public void HeilbronnConvex_CollinearPoints_AreRejected()
    {
        double[][] points = [[0, 0], [1, 1], [2, 2], [3, 3]];

        var result = new HeilbronnConvexScorer(4).Score(Constructions.Output(points));

        Assert.False(result.Correct);
        Assert.Equal("The points are collinear: their convex hull has zero area.", result.Error);
    }

    [Fact]
    public void ConvexHull_UnitSquareWithInteriorPoint_HasFourVerticesAndAreaOne()
    {
        double[][] points = [[0, 0], [1, 0], [1, 1], [0, 1], [0.5, 0.5], [0.5, 0]];

        var hull = ConvexHull.Vertices(points);

        Assert.Equal(4, hull.Count);
        Assert.Equal(1, ConvexHull.Area(hull), 15);
    }
}
