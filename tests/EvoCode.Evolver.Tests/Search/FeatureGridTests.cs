using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Languages;
using EvoCode.Evolver.Search;

namespace EvoCode.Evolver.Tests.Search;

public sealed class FeatureGridTests
{
    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(0.099, 0)]
    [InlineData(0.1, 1)]
    [InlineData(0.55, 5)]
    [InlineData(0.999, 9)]
    [InlineData(1.0, 9)]
    [InlineData(-3.0, 0)]
    [InlineData(42.0, 9)]
    public void Bin_Linear_ClampsOutOfRangeValuesToTheEdgeBins(double value, int expected)
    {
        var dimension = new FeatureDimension("x", 0, 1, 10);
        Assert.Equal(expected, new FeatureGrid([dimension]).Bin(dimension, value));
    }

    [Theory]
    [InlineData(1.0, 0)]
    [InlineData(9.99, 0)]
    [InlineData(10.0, 1)]
    [InlineData(999.0, 2)]
    [InlineData(1000.0, 2)]
    public void Bin_Log_SplitsDecadesEvenly(double value, int expected)
    {
        var dimension = new FeatureDimension("x", 1, 1000, 3, BinScale.Log);
        Assert.Equal(expected, new FeatureGrid([dimension]).Bin(dimension, value));
    }

    [Fact]
    public void CellKey_JoinsBinsAndNamesAMissingFeature()
    {
        var grid = new FeatureGrid([new FeatureDimension("a", 0, 10, 10), new FeatureDimension("b", 0, 1, 4)]);

        Assert.Equal("3-2", grid.CellKey(new Dictionary<string, double> { ["a"] = 3.5, ["b"] = 0.6 }, out _));
        Assert.Null(grid.CellKey(new Dictionary<string, double> { ["a"] = 3.5 }, out var missing));
        Assert.Equal("b", missing);
    }

    [Fact]
    public void Constructor_LogDimensionFromZero_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new FeatureGrid([new FeatureDimension("len", 0, 100, 5, BinScale.Log)]));
        Assert.Contains("lower bound must be positive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CodeFeatures_Measure_CountsDecisionsAndNesting()
    {
        var features = CodeFeatures.Measure("""
            class C { int F(int x) { if (x > 0 && x < 9) { for (var i = 0; i < x; i++) { x += i > 2 ? 1 : 0; } } return x; } }
            """, ProgramLanguages.CSharp);
        Assert.Equal(5, features[CodeFeatures.Complexity]);
        Assert.Equal(2, features[CodeFeatures.Nesting]);
        Assert.True(features[CodeFeatures.Length] > 50);
    }
}
