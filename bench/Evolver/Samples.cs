namespace EvoCode.Bench.Evolver;

/// <summary>Order statistics for the benches' tables.</summary>
internal static class Samples
{
    /// <summary>The p-quantile of sorted samples by nearest rank (the same rule as bench/Sandbox's tables).</summary>
    public static T Percentile<T>(IReadOnlyList<T> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
