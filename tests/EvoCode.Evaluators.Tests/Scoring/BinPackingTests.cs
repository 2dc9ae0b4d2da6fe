using System.Text.Json;
using EvoCode.Evaluators.Harnesses;
using EvoCode.Evaluators.Problems.BinPacking;

namespace EvoCode.Evaluators.Tests.Scoring;

public sealed class BinPackingTests
{
    private static double[] BestFit(double item, double[] bins) => [.. bins.Select(b => -(b - item))];

    private static double[] FirstFit(double item, double[] bins) => [.. bins.Select((_, i) => (double)-i)];

    private static string Pack(string dataset, Func<double, double[], double[]> priority) =>
        JsonSerializer.Serialize(new
        {
            dataset,
            instances = BinPackingDatasets.Get(dataset).Select(i => new { name = i.Name, bins = OnlineBinPacking.Pack(i, priority) }),
        });

    [Theory]
    [InlineData(BinPackingDatasets.Or3, 201.2)]
    [InlineData(BinPackingDatasets.Weibull5k, 1987.8)]
    public void Datasets_MeanLowerBound_MatchesPublishedL1(string dataset, double expected)
    {
        Assert.Equal(expected, BinPackingDatasets.MeanLowerBound(dataset), 9);
    }

    [Theory]
    [InlineData(BinPackingDatasets.Or3, true, 212.0, "5.37")]
    [InlineData(BinPackingDatasets.Or3, false, 212.75, "5.74")]
    [InlineData(BinPackingDatasets.Weibull5k, true, 2067.0, "3.98")]
    [InlineData(BinPackingDatasets.Weibull5k, false, 2071.8, "4.23")]
    public void Score_BestFitAndFirstFit_ReproducePublishedExcess(string dataset, bool bestFit, double bins, string excess)
    {
        var result = new BinPackingScorer(dataset).Score(Pack(dataset, bestFit ? BestFit : FirstFit));

        Assert.True(result.Correct, result.Error);
        Assert.Equal(bins, result.Metrics[$"{dataset}_bins"], 9);
        Constructions.AssertDigits(excess, result.Metrics[$"{dataset}_excess_percent"]);
        Assert.Equal(-result.Metrics[$"{dataset}_excess_percent"], result.Score);
    }

    [Fact]
    public void Score_BinOverCapacity_IsRejectedNamingInstanceAndBin()
    {
        var instances = BinPackingDatasets.Get(BinPackingDatasets.Or3);
        var output = JsonSerializer.Serialize(new
        {
            dataset = BinPackingDatasets.Or3,
            instances = instances.Select(i => new { name = i.Name, bins = new int[i.Items.Count] }),
        });

        var result = new BinPackingScorer(BinPackingDatasets.Or3).Score(output);

        Assert.False(result.Correct);
        Assert.StartsWith("Instance u500_00: bin 0 holds", result.Error, StringComparison.Ordinal);
        Assert.Contains("over the capacity 150", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_MissingItems_AreRejected()
    {
        var instances = BinPackingDatasets.Get(BinPackingDatasets.Or3);
        var output = JsonSerializer.Serialize(new
        {
            dataset = BinPackingDatasets.Or3,
            instances = instances.Select(i => new { name = i.Name, bins = Enumerable.Range(0, i.Items.Count - 1).ToArray() }),
        });

        var result = new BinPackingScorer(BinPackingDatasets.Or3).Score(output);

        Assert.False(result.Correct);
        Assert.Equal("Instance u500_00: 499 items were placed, but it has 500.", result.Error);
    }

    [Fact]
    public void Pack_PriorityOfWrongLength_Throws()
    {
        var instance = BinPackingDatasets.Get(BinPackingDatasets.Or3)[0];

        var e = Assert.Throws<HarnessException>(() => OnlineBinPacking.Pack(instance, (_, _) => [1.0]));

        Assert.Contains("expected one per feasible bin (500)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pack_NaNPriority_Throws()
    {
        var instance = BinPackingDatasets.Get(BinPackingDatasets.Or3)[0];

        var e = Assert.Throws<HarnessException>(() => OnlineBinPacking.Pack(instance, (_, bins) => [.. bins.Select(_ => double.NaN)]));

        Assert.Contains("priorities must be finite", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pack_HeuristicThatWritesIntoTheOfferedBins_CannotFreeSpace()
    {
        var instance = BinPackingDatasets.Get(BinPackingDatasets.Or3)[0];

        // A cheat: report every bin as empty by overwriting the array it was given.
        var assignment = OnlineBinPacking.Pack(instance, (item, bins) =>
        {
            var priorities = BestFit(item, bins);
            Array.Fill(bins, 150.0);
            return priorities;
        });
        var output = JsonSerializer.Serialize(new { dataset = BinPackingDatasets.Or3, instances = BinPackingDatasets.Get(BinPackingDatasets.Or3).Select(i => new { name = i.Name, bins = i == instance ? assignment : OnlineBinPacking.Pack(i, BestFit) }) });

        var result = new BinPackingScorer(BinPackingDatasets.Or3).Score(output);

        Assert.True(result.Correct, result.Error);
        Assert.Equal(212.0, result.Metrics["or3_bins"], 9);
    }
}
