using EvoCode.Evaluators.Contract;

namespace EvoCode.Evaluators.Catalog;

/// <summary>Best published values of the built-in problems, with their sources (see the project's benchmarks reference).</summary>
public static class PublishedResults
{
    /// <summary>Circle packing, sum of radii, by n.</summary>
    public static IReadOnlyList<PublishedResult> CirclePacking { get; } =
    [
        new("n=26", "sum_radii", 2.6359830849176, "AlphaEvolve V2 (google-deepmind/alphaevolve_repository_of_problems, packing_circles_max_sum_of_radii), recomputed", "valid at tolerance 0; ties ThetaEvolve 2.63598308 and TTT-Discover 2.635983"),
        new("n=32", "sum_radii", 2.9395727712063, "AlphaEvolve V2 (google-deepmind/alphaevolve_repository_of_problems), recomputed", "valid at tolerance 0 only with the exact comparison forms; TTT-Discover 2.939572"),
    ];

    /// <summary>Min/max distance ratio squared (lower is better), by instance.</summary>
    public static IReadOnlyList<PublishedResult> MinMaxDistanceRatio { get; } =
    [
        new("n=16,d=2", "ratio_squared", 12.8892299077, "MLEvolve and ScienceFlow (ScienceFlow preprint, Table 3): ratio 3.590157365311", "AlphaEvolve: 12.889266112035"),
        new("n=14,d=3", "ratio_squared", 4.16579, "CodeEvolve (arXiv 2510.14150, Table 1)", "AlphaEvolve: 4.165849767226"),
    ];

    /// <summary>Heilbronn in the unit-area triangle, by n.</summary>
    public static IReadOnlyList<PublishedResult> HeilbronnTriangle { get; } =
    [
        new("n=11", "min_area_normalized", 0.036529889880, "AlphaEvolve (google-deepmind/alphaevolve_results, mathematical_results.ipynb B.9), recomputed"),
    ];

    /// <summary>Heilbronn in a convex region, by n.</summary>
    public static IReadOnlyList<PublishedResult> HeilbronnConvex { get; } =
    [
        new("n=13", "min_area_normalized", 0.030936889035, "AlphaEvolve (mathematical_results.ipynb B.10), recomputed"),
        new("n=14", "min_area_normalized", 0.027835571458, "AlphaEvolve (mathematical_results.ipynb B.10), recomputed"),
    ];

    /// <summary>FunSearch online bin packing, excess over the L1 bound in percent (lower is better).</summary>
    public static IReadOnlyList<PublishedResult> BinPacking { get; } =
    [
        new("or3", "or3_excess_percent", 3.11, "FunSearch (Nature 2024, Table 1; google-deepmind/funsearch bin_packing.ipynb): 207.45 bins", "best fit 5.37%, first fit 5.74%"),
        new("weibull5k", "weibull5k_excess_percent", 0.68, "FunSearch (Nature 2024, Table 1): 2001.4 bins", "best fit 3.98%, first fit 4.23%"),
    ];
}
