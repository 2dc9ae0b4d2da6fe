namespace EvoCode.Evolver.Domain;

/// <summary>
/// One axis of the MAP-Elites grid: a metric the evaluator reports, or a built-in code feature
/// ("code_length", "complexity", "nesting"). Bounds and bin counts are fixed for the life of a run, so
/// a cell always means the same thing.
/// </summary>
/// <param name="Name">Metric or code feature name.</param>
/// <param name="Min">Lower bound; smaller values fall in the first bin.</param>
/// <param name="Max">Upper bound; larger values fall in the last bin.</param>
/// <param name="Bins">Number of bins.</param>
/// <param name="Scale">Linear or logarithmic binning.</param>
public sealed record FeatureDimension(string Name, double Min, double Max, int Bins, BinScale Scale = BinScale.Linear);

/// <summary>How values map to bins along a dimension.</summary>
public enum BinScale
{
    Linear,
    Log,
}
