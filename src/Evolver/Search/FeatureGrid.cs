using System.Globalization;
using EvoCode.Evaluators.Contract;
using EvoCode.Evolver.Domain;

namespace EvoCode.Evolver.Search;

/// <summary>
/// Maps feature values to a cell key: a bin per dimension ("3-5"), or with a tessellation the nearest CVT centroid
/// ("c17") of the values scaled to the bounds. Bounds are fixed once the seed is evaluated (declared, or fitted
/// around the seed's features), so the same values always land in the same cell however the scores grow.
/// </summary>
public sealed class FeatureGrid
{
    /// <summary>A grid, or with <paramref name="tessellation"/> a CVT archive over the same bounds.</summary>
    public FeatureGrid(IReadOnlyList<FeatureDimension> dimensions, CentroidTessellation? tessellation = null)
    {
        Tessellation = tessellation;
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

    public CentroidTessellation? Tessellation { get; }

    /// <summary>Cells one island can hold: the product of the bins, or the centroids.</summary>
    public long CellCount => Tessellation?.Count ?? Dimensions.Aggregate(1L, (n, d) => n * d.Bins);

    /// <summary>
    /// The grid of a run, before its seed is known: the chosen dimensions, as a grid or (archiveLayout cvt) as
    /// CVT centroids drawn from the run's seed.
    /// </summary>
    public static FeatureGrid ForRun(RunSettings settings, IReadOnlyList<FeatureDimension> dimensions)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(dimensions);
        var tessellation = settings.ArchiveLayout == "cvt" && dimensions.Count > 0 ? new CentroidTessellation(settings.CvtCells, dimensions.Count, settings.Seed) : null;
        return new FeatureGrid(dimensions, tessellation);
    }

    /// <summary>
    /// The same grid with its bounds fitted around the seed's features, so that its children can reach most cells:
    /// a logarithmic dimension spans [v / 2, 2 v], a linear one v ± max(|v|, declared range / 4) / 2, moved inside the
    /// declared lower bound. A dimension the seed does not report (or a log one with v ≤ 0) keeps its bounds.
    /// </summary>
    public FeatureGrid FitTo(IReadOnlyDictionary<string, double> seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        var fitted = Dimensions.Select(d =>
        {
            if (!seed.TryGetValue(d.Name, out var v) || !double.IsFinite(v))
            {
                return d;
            }

            if (d.Scale == BinScale.Log)
            {
                return v > 0 ? d with { Min = v / 2, Max = v * 2 } : d;
            }

            var width = Math.Max(Math.Abs(v), (d.Max - d.Min) / 4);
            var min = Math.Max(d.Min, v - (width / 2));
            return d with { Min = min, Max = min + width };
        }).ToList();
        return new FeatureGrid(fitted, Tessellation);
    }

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

        if (Tessellation is not null)
        {
            var point = new double[Dimensions.Count];
            for (var i = 0; i < Dimensions.Count; i++)
            {
                if (!features.TryGetValue(Dimensions[i].Name, out var value))
                {
                    missing = Dimensions[i].Name;
                    return null;
                }

                point[i] = (Bin(Dimensions[i] with { Bins = 1 << 20 }, value) + 0.5) / (1 << 20);
            }

            return "c" + Tessellation.Nearest(point).ToString(CultureInfo.InvariantCulture);
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
