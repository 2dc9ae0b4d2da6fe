using System.Text.Json;
using EvoCode.Evaluators.Cascades;
using EvoCode.Evaluators.Contract;
using EvoCode.Evaluators.Custom;
using EvoCode.Evaluators.Harnesses;
using EvoCode.Evaluators.Problems.BinPacking;
using EvoCode.Evaluators.Problems.CirclePacking;
using EvoCode.Evaluators.Problems.PointSets;
using EvoCode.Evaluators.Scoring;

namespace EvoCode.Evaluators.Catalog;

/// <summary>Factories for the built-in problems' evaluators. Each runs the candidate only through the runner it is given.</summary>
public static class BuiltInEvaluators
{
    /// <summary>Catalogue id of circle packing.</summary>
    public const string CirclePackingId = "circle-packing";

    /// <summary>Catalogue id of the min/max distance ratio.</summary>
    public const string MinMaxDistanceRatioId = "min-max-distance-ratio";

    /// <summary>Catalogue id of Heilbronn in the triangle.</summary>
    public const string HeilbronnTriangleId = "heilbronn-triangle";

    /// <summary>Catalogue id of Heilbronn in a convex region.</summary>
    public const string HeilbronnConvexId = "heilbronn-convex";

    /// <summary>Catalogue id of online bin packing.</summary>
    public const string BinPackingId = "bin-packing";

    /// <summary>Points the circle-packing candidate must expose.</summary>
    public const string CirclePackingEntryPoint = "public static class CirclePacking { public static double[][] Pack(int n); } // n rows of {x, y, r}";

    /// <summary>Points the min/max distance candidate must expose.</summary>
    public const string MinMaxEntryPoint = "public static class MinMaxRatio { public static double[][] Construct(int n, int d); } // n rows of d coordinates";

    /// <summary>Points the Heilbronn candidates must expose.</summary>
    public const string HeilbronnEntryPoint = "public static class Heilbronn { public static double[][] Construct(int n); } // n rows of {x, y}";

    /// <summary>Points the bin packing candidate must expose.</summary>
    public const string BinPackingEntryPoint = "public static class BinPacking { public static double[] Priority(double item, double[] bins); } // one priority per feasible bin (its remaining capacity)";

    /// <summary>Circle packing in the unit square: maximize the sum of radii of n circles.</summary>
    public static IEvaluator CirclePacking(int n = 26, ToleranceMode mode = ToleranceMode.Strict) =>
        Single(CirclePackingDescriptor(n, mode), RowsParameters("CirclePacking", "Pack", [n], n), new CirclePackingScorer(n, mode));

    /// <summary>
    /// Circle packing with the candidate in any language: <paramref name="run"/> starts it in the jail and its last
    /// output line, <c>{"rows": [[x, y, r], ...]}</c>, goes to the same scorer as the C# harness's output.
    /// </summary>
    public static IEvaluator CirclePackingByCommand(int n, ToleranceMode mode, string candidateFile, CommandStep run)
    {
        var descriptor = CirclePackingDescriptor(n, mode);
        return new CommandOutputEvaluator(
            descriptor with
            {
                EntryPoint = $"a program in {candidateFile} that prints {{\"rows\": [[x, y, r], ...]}} ({n} rows) as its last line",
                Cascade = [new StageDefinition(descriptor.Stages[0], "Run the program once in the jail, then validate and score the rows it prints last.")],
            },
            candidateFile,
            run,
            new CirclePackingScorer(n, mode),
            RunLimits.Default with { WallTime = TimeSpan.FromSeconds(60) });
    }

    private static EvaluatorDescriptor CirclePackingDescriptor(int n, ToleranceMode mode) =>
        new EvaluatorDescriptor(
            CirclePackingId,
            "sum_radii",
            [
                new MetricDefinition("sum_radii", MetricGoal.Maximize, 0, Math.Sqrt(n / Math.PI), Digits: 12, Description: "Sum of the radii, recomputed from the returned radii."),
                new MetricDefinition("min_pair_gap", MetricGoal.Maximize, Digits: 3, Description: "Smallest distance minus sum of radii over all pairs."),
                new MetricDefinition("min_wall_gap", MetricGoal.Maximize, Digits: 3, Description: "Smallest distance from a circle to the square's edge."),
                new MetricDefinition("tolerance", MetricGoal.Minimize, 0, 1e-6, ShownToModel: false, Digits: 1, Description: "Tolerance the validity checks used (0 = strict)."),
            ],
            CirclePackingEntryPoint,
            ["pack"])
        {
            Features =
            [
                new FeatureDefinition("radius_std", 0, 0.25, "Standard deviation of the radii."),
                new FeatureDefinition("radius_max", 0, 0.5, "Largest radius."),
            ],
            Published = PublishedResults.CirclePacking.FirstOrDefault(p => p.Instance == $"n={n}"),
            Settings = new Dictionary<string, string> { ["n"] = n.ToString(), ["tolerance"] = mode.Name() },
        };

    /// <summary>Min/max distance ratio: n points in d dimensions, minimize (max distance / min distance)².</summary>
    public static IEvaluator MinMaxDistanceRatio(int n = 16, int dimensions = 2)
    {
        var descriptor = new EvaluatorDescriptor(
            MinMaxDistanceRatioId,
            "ratio_squared",
            [
                new MetricDefinition("ratio_squared", MetricGoal.Minimize, 1, Digits: 12, Description: "(largest pairwise distance / smallest pairwise distance)²; the score is its inverse."),
                new MetricDefinition("ratio", MetricGoal.Minimize, 1, Digits: 12, Description: "Largest over smallest pairwise distance."),
            ],
            MinMaxEntryPoint,
            ["construct"])
        {
            Published = PublishedResults.MinMaxDistanceRatio.FirstOrDefault(p => p.Instance == $"n={n},d={dimensions}"),
            Settings = new Dictionary<string, string> { ["n"] = n.ToString(), ["d"] = dimensions.ToString() },
        };
        return Single(descriptor, RowsParameters("MinMaxRatio", "Construct", [n, dimensions], n), new MinMaxDistanceScorer(n, dimensions));
    }

    /// <summary>Heilbronn in the triangle (0,0), (1,0), (1/2, √3/2): maximize the smallest triangle area of n points.</summary>
    public static IEvaluator HeilbronnTriangle(int n = 11, ToleranceMode mode = ToleranceMode.Strict)
    {
        var descriptor = new EvaluatorDescriptor(
            HeilbronnTriangleId,
            "min_area_normalized",
            [
                new MetricDefinition("min_area_normalized", MetricGoal.Maximize, 0, 1, Digits: 12, Description: "Smallest triangle area divided by the container's area √3/4."),
                new MetricDefinition("tolerance", MetricGoal.Minimize, 0, 1e-6, ShownToModel: false, Digits: 1, Description: "Tolerance the containment checks used."),
            ],
            HeilbronnEntryPoint,
            ["construct"])
        {
            Features = [new FeatureDefinition("boundary_fraction", 0, 1, "Fraction of points on the triangle's boundary (within 1e-9).")],
            Published = PublishedResults.HeilbronnTriangle.FirstOrDefault(p => p.Instance == $"n={n}"),
            Settings = new Dictionary<string, string> { ["n"] = n.ToString(), ["tolerance"] = mode.Name() },
        };
        return Single(descriptor, RowsParameters("Heilbronn", "Construct", [n], n), new HeilbronnTriangleScorer(n, mode));
    }

    /// <summary>Heilbronn in a convex region: maximize the smallest triangle area of n points over their convex hull's area.</summary>
    public static IEvaluator HeilbronnConvex(int n = 13)
    {
        var descriptor = new EvaluatorDescriptor(
            HeilbronnConvexId,
            "min_area_normalized",
            [
                new MetricDefinition("min_area_normalized", MetricGoal.Maximize, 0, 1, Digits: 12, Description: "Smallest triangle area divided by the convex hull's area."),
                new MetricDefinition("hull_area", MetricGoal.Maximize, 0, ShownToModel: false, Description: "Area of the points' convex hull."),
            ],
            HeilbronnEntryPoint,
            ["construct"])
        {
            Features = [new FeatureDefinition("hull_fraction", 0, 1, "Fraction of the points that are hull vertices.")],
            Published = PublishedResults.HeilbronnConvex.FirstOrDefault(p => p.Instance == $"n={n}"),
            Settings = new Dictionary<string, string> { ["n"] = n.ToString() },
        };
        return Single(descriptor, RowsParameters("Heilbronn", "Construct", [n], n), new HeilbronnConvexScorer(n));
    }

    /// <summary>
    /// FunSearch online bin packing on one or more datasets, in the order given. With a threshold, a candidate
    /// goes on to the next dataset only when its excess on the previous one is at most that many percent;
    /// stopped candidates score 100 points lower, below every candidate that ran all datasets.
    /// </summary>
    /// <param name="datasets">Dataset ids from <see cref="BinPackingDatasets.Ids"/>, in cascade order.</param>
    /// <param name="maxExcessToContinue">Largest excess (percent) that lets a candidate go on to the next dataset.</param>
    public static IEvaluator BinPacking(IReadOnlyList<string> datasets, double? maxExcessToContinue = 10)
    {
        ArgumentNullException.ThrowIfNull(datasets);
        var metrics = datasets.SelectMany(d => new[]
        {
            new MetricDefinition($"{d}_excess_percent", MetricGoal.Minimize, 0, 100, Digits: 4, Description: $"Excess bins over the L1 bound on {d}, in percent."),
            new MetricDefinition($"{d}_bins", MetricGoal.Minimize, 0, Digits: 6, Description: $"Mean bins used on {d}."),
        }).ToList();
        metrics.Insert(0, new MetricDefinition("excess_percent", MetricGoal.Minimize, 0, 100, Digits: 4, Description: "Mean excess over the datasets evaluated; the score is minus this."));
        var descriptor = new EvaluatorDescriptor(BinPackingId, "excess_percent", metrics, BinPackingEntryPoint, [.. datasets])
        {
            Features = [.. datasets.Select(d => new FeatureDefinition($"{d}_excess_percent", 0, 10, $"Excess on {d}, in percent."))],
            Published = PublishedResults.BinPacking.FirstOrDefault(p => p.Instance == datasets[^1]),
            Cascade =
            [
                .. datasets.Select((d, i) => new StageDefinition(
                    d,
                    $"Pack every instance of {d} online with the priority function and count the bins.",
                    i < datasets.Count - 1 && maxExcessToContinue is { } max ? -max : null)),
            ],
            Settings = new Dictionary<string, string> { ["datasets"] = string.Join(",", datasets) },
        };
        var stages = datasets.Select(d => new CascadeStage(
            d,
            BinPackingHarness.HarnessName,
            JsonSerializer.SerializeToElement(new { dataset = d, type = "BinPacking", method = "Priority" }),
            new ExcessScorer(new BinPackingScorer(d), d),
            maxExcessToContinue is { } max ? -max : null)).ToList();
        return new CascadeEvaluator(
            descriptor,
            stages,
            new RunLimits(TimeSpan.FromSeconds(60), 1024L * 1024 * 1024, 4 * 1024 * 1024),
            finish: static (merged, results) =>
            {
                var excess = -results.Average(r => r.Score);
                return merged with
                {
                    Score = -excess,
                    Metrics = new Dictionary<string, double>(merged.Metrics) { ["excess_percent"] = excess },
                };
            },
            stopPenalty: 100);
    }

    private static CascadeEvaluator Single(EvaluatorDescriptor descriptor, JsonElement parameters, IOutputScorer scorer) =>
        new(
            descriptor with { Cascade = [new StageDefinition(descriptor.Stages[0], "Run the entry point once, then validate and score its output.")] },
            [new CascadeStage(descriptor.Stages[0], RowsHarness.HarnessName, parameters, scorer)]);

    private static JsonElement RowsParameters(string type, string method, int[] args, int n) =>
        JsonSerializer.SerializeToElement(new { type, method, args, maxRows = Math.Max(n * 4, 64) });

    /// <summary>Adds the feature and the mean-excess metric a bin packing stage reports.</summary>
    private sealed class ExcessScorer(BinPackingScorer inner, string dataset) : IOutputScorer
    {
        public EvaluationResult Score(string rawOutput)
        {
            var result = inner.Score(rawOutput);
            if (!result.Correct)
            {
                return result;
            }

            var key = $"{dataset}_excess_percent";
            return result with
            {
                Features = new Dictionary<string, double> { [key] = result.Metrics[key] },
            };
        }
    }
}
