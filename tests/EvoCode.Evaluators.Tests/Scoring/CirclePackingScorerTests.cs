using EvoCode.Evaluators.Problems.CirclePacking;
using EvoCode.Evaluators.Scoring;

namespace EvoCode.Evaluators.Tests.Scoring;

public sealed class CirclePackingScorerTests
{
    [Theory]
    [InlineData("circle_packing_unit_square_n26", 26, "2.635862756414")]
    [InlineData("circle_packing_unit_square_n32", 32, "2.937944526206")]
    public void Score_PublishedAlphaEvolveConstruction_IsValidAtToleranceZeroWithCheckSum(string key, int n, string check)
    {
        var result = new CirclePackingScorer(n).Score(Constructions.Output(Constructions.Rows(key, "circles")));

        Assert.True(result.Correct, result.Error);
        Constructions.AssertDigits(check, result.Score);
        Assert.Equal(result.Score, result.Metrics["sum_radii"]);
        Assert.Equal(0, result.Metrics["tolerance"]);
        Assert.True(result.Metrics["min_pair_gap"] >= 0);
    }

    [Fact]
    public void Score_ValidPacking_AttachesSvgWithOneCirclePerRow()
    {
        var result = new CirclePackingScorer(26).Score(Constructions.Output(Constructions.Rows("circle_packing_unit_square_n26", "circles")));

        var svg = Assert.Single(result.Artifacts, a => a.MediaType == "image/svg+xml");
        Assert.StartsWith("<svg", svg.Content, StringComparison.Ordinal);
        Assert.Equal(26, svg.Content.Split("<circle ").Length - 1);
        Assert.False(svg.ForModel);
    }

    [Fact]
    public void Score_OverlapOf1e12_IsRejectedNamingBothCircles()
    {
        double[][] rows = [[0.25, 0.5, 0.25], [0.75 - 1e-12, 0.5, 0.25]];

        var result = new CirclePackingScorer(2).Score(Constructions.Output(rows));

        Assert.False(result.Correct);
        Assert.Equal("Circle 0 overlaps circle 1 by 1.0e-12.", result.Error);
    }

    [Fact]
    public void Score_TouchingCircles_AreValidAtToleranceZero()
    {
        double[][] rows = [[0.25, 0.5, 0.25], [0.75, 0.5, 0.25]];

        var result = new CirclePackingScorer(2).Score(Constructions.Output(rows));

        Assert.True(result.Correct, result.Error);
        Assert.Equal(0.5, result.Score);
    }

    [Fact]
    public void Score_Circle1e12OutsideTheSquare_IsRejectedNamingCircleAndEdge()
    {
        double[][] rows = [[0.25, 0.5, 0.25], [0.75 + 1e-12, 0.5, 0.25 - 1e-12], [0.5, 0.9, 0.1 + 1e-12]];

        var result = new CirclePackingScorer(3).Score(Constructions.Output(rows));

        Assert.False(result.Correct);
        Assert.StartsWith("Circle 2 lies 1.0e-12 outside the square at the top edge", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_UsesTheExactComparisonForm_NotOneMinusXMinusR()
    {
        // Here 1 - x - r evaluates to -4.9e-17, yet x <= 1 - r holds: AlphaEvolve V2's form accepts it.
        const double X = 0.9510343692074037, R = 0.04896563079259635;
        Assert.True(1 - X - R < 0);

        var result = new CirclePackingScorer(1).Score(Constructions.Output([[X, 0.5, R]]));

        Assert.True(result.Correct, result.Error);
    }

    [Fact]
    public void Score_OverlapWithin1e6_PassesOnlyInOpenEvolveMode()
    {
        double[][] rows = [[0.25, 0.5, 0.25], [0.75 - 1e-7, 0.5, 0.25]];
        var output = Constructions.Output(rows);

        var strict = new CirclePackingScorer(2, ToleranceMode.Strict).Score(output);
        var loose = new CirclePackingScorer(2, ToleranceMode.OpenEvolve).Score(output);

        Assert.False(strict.Correct);
        Assert.True(loose.Correct, loose.Error);
        Assert.Equal(1e-6, loose.Metrics["tolerance"]);
    }

    [Theory]
    [InlineData("NaN", "Circle 1 has a non-finite x (NaN).")]
    [InlineData("Infinity", "Circle 1 has a non-finite x (Infinity).")]
    public void Score_NonFiniteCoordinate_IsRejected(string literal, string expected)
    {
        var output = $$"""{"rows":[[0.25,0.5,0.25],["{{literal}}",0.5,0.1]]}""";

        var result = new CirclePackingScorer(2).Score(output);

        Assert.False(result.Correct);
        Assert.Equal(expected, result.Error);
    }

    [Fact]
    public void Score_WrongCount_IsRejected()
    {
        var rows = Constructions.Rows("circle_packing_unit_square_n26", "circles");

        var result = new CirclePackingScorer(26).Score(Constructions.Output([.. rows, [0.5, 0.5, 0]]));

        Assert.False(result.Correct);
        Assert.Equal("Expected 26 circles, got 27.", result.Error);
    }

    [Fact]
    public void Score_NegativeRadius_IsRejectedNamingTheCircle()
    {
        double[][] rows = [[0.25, 0.5, 0.25], [0.75, 0.5, 0.25], [0.5, 0.9, -0.5]];

        var result = new CirclePackingScorer(3).Score(Constructions.Output(rows));

        Assert.False(result.Correct);
        Assert.StartsWith("Circle 2 has a negative radius (-0.5)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_HugeRadius_IsRejectedAsOutside()
    {
        double[][] rows = [[0.5, 0.5, 1e300]];

        var result = new CirclePackingScorer(1).Score(Constructions.Output(rows));

        Assert.False(result.Correct);
        Assert.StartsWith("Circle 0 lies", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_RowWithTwoValues_IsRejected()
    {
        var result = new CirclePackingScorer(1).Score("""{"rows":[[0.5,0.5]]}""");

        Assert.False(result.Correct);
        Assert.Equal("Circle 0 has 2 values; each row must be x, y, r.", result.Error);
    }

    [Fact]
    public void Score_ManyViolations_ListsThemForTheModel()
    {
        double[][] rows = [[0.5, 0.5, 0.4], [0.5, 0.5, 0.4], [0.5, 0.5, 0.4]];

        var result = new CirclePackingScorer(3).Score(Constructions.Output(rows));

        Assert.False(result.Correct);
        Assert.Contains("and 2 more violations", result.Error, StringComparison.Ordinal);
        var feedback = Assert.Single(result.Artifacts, a => a.Name == "validation");
        Assert.True(feedback.ForModel);
        Assert.Contains("circle 1 overlaps circle 2", feedback.Content, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_NotJson_IsRejectedWithoutThrowing()
    {
        var result = new CirclePackingScorer(2).Score("score: 2.7");

        Assert.False(result.Correct);
        Assert.StartsWith("The output is not valid JSON", result.Error, StringComparison.Ordinal);
    }
}
