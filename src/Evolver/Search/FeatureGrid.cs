using System.Globalization;
using EvoCode.Evaluators.Contract;
using EvoCode.Evolver.Domain;

namespace EvoCode.Evolver.Search;

/// <summary>
/// Maps feature values to a cell key. Bounds and bin counts are fixed when the run starts, so the same
/// values always land in the same cell however the scores grow.
/// </summary>
public sealed class FeatureGrid
{
    public FeatureGrid(IReadOnlyList<FeatureDimension> dimensions)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        foreach (var d in dimensions)
        {
            if (d.Bins < 1 || !(d.Max > d.Min) || !double.IsFinite(d.Min) || !double.IsFinite(d.Max))
            {
                throw new ArgumentException($"Feature dimension '{d.Name}' needs finite bounds with max > min and at least one bin.", nameof(dimensions));
            }

            if (d.Scale == BinScale.Log && d.Min <= 0)
            {
                throw new ArgumentException($"Feature dimension '{d.Name}' is logarithmic, so its lower bound must be positive.", nameof(dimensions));
            }
        }

        Dimensions = dimensions;
    }

    public IReadOnlyList<FeatureDimension> Dimensions { get; }

    /// <summary>The built-in code features used when a problem names none.</summary>
    public static IReadOnlyList<FeatureDimension> DefaultDimensions { get; } =
    [
        new(CodeFeatures.Complexity, 1, 64, 8, BinScale.Log),
        new(CodeFeatures.Length, 100, 20_000, 8, BinScale.Log),
    ];

    /// <summary>
    /// The dimensions of a run's grid: the run's own, else the problem's, else the evaluator's declared features,
    /// else <see cref="DefaultDimensions"/>. One rule, so the engine and the API describe the same grid.
    /// </summary>
    public static IReadOnlyList<FeatureDimension> ChooseDimensions(RunSettings settings, Problem problem, IReadOnlyList<FeatureDefinition> declared)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(declared);
        return settings.FeatureDimensions is { Count: > 0 } own ? own
            : problem.FeatureDimensions.Count > 0 ? problem.FeatureDimensions
            : declared.Count > 0 ? [.. declared.Select(f => new FeatureDimension(f.Name, f.Min, f.Max, f.Bins))]
            : DefaultDimensions;
    }

    public int Bin(FeatureDimension dimension, double value)
    {
        ArgumentNullException.ThrowIfNull(dimension);
        if (double.IsNaN(value))
        {
            return 0;
        }

        var (lo, hi, v) = dimension.Scale == BinScale.Log
            ? (Math.Log(dimension.Min), Math.Log(dimension.Max), Math.Log(Math.Max(value, double.Epsilon)))
            : (dimension.Min, dimension.Max, value);
        var bin = (int)Math.Floor((v - lo) / (hi - lo) * dimension.Bins);
        return Math.Clamp(bin, 0, dimension.Bins - 1);
    }

    /// <summary>The cell key of a program, or why it has none (a feature the evaluator did not report).</summary>
    public string? CellKey(IReadOnlyDictionary<string, double> features, out string? missing)
    {
        ArgumentNullException.ThrowIfNull(features);
        missing = null;
        if (Dimensions.Count == 0)
        {
            return "0";
        }

        var bins = new string[Dimensions.Count];
        for (var i = 0; i < Dimensions.Count; i++)
        {
            if (!features.TryGetValue(Dimensions[i].Name, out var value))
            {
                missing = Dimensions[i].Name;
                return null;
            }

            bins[i] = Bin(Dimensions[i], value).ToString(CultureInfo.InvariantCulture);
        }

        return string.Join('-', bins);
    }
}
