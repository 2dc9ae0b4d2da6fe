using System.Collections.Frozen;
using System.Text.Json;

namespace EvoCode.Evaluators.Problems.BinPacking;

/// <summary>
/// The FunSearch online bin packing datasets (OR3: 20 × 500 items, capacity 150; Weibull 5k: 5 × 5000 items,
/// capacity 100), embedded in this assembly. Source: google-deepmind/funsearch, bin_packing/bin_packing.ipynb
/// (Apache-2.0 code, CC-BY-4.0 data).
/// </summary>
public static class BinPackingDatasets
{
    /// <summary>Id of the OR3 dataset.</summary>
    public const string Or3 = "or3";

    /// <summary>Id of the Weibull 5k dataset.</summary>
    public const string Weibull5k = "weibull5k";

    private static readonly Lazy<FrozenDictionary<string, IReadOnlyList<BinPackingInstance>>> s_datasets = new(Load);

    /// <summary>Dataset ids.</summary>
    public static IReadOnlyList<string> Ids { get; } = [Or3, Weibull5k];

    /// <summary>The instances of a dataset, in the published order.</summary>
    /// <exception cref="KeyNotFoundException">The id is not one of <see cref="Ids"/>.</exception>
    public static IReadOnlyList<BinPackingInstance> Get(string id) =>
        s_datasets.Value.TryGetValue(id, out var instances) ? instances : throw new KeyNotFoundException($"No bin packing dataset '{id}'; known: {string.Join(", ", Ids)}.");

    /// <summary>Mean L1 lower bound over the instances of a dataset.</summary>
    public static double MeanLowerBound(string id) => Get(id).Average(i => i.LowerBound);

    private static FrozenDictionary<string, IReadOnlyList<BinPackingInstance>> Load()
    {
        using var stream = typeof(BinPackingDatasets).Assembly.GetManifestResourceStream("EvoCode.Evaluators.Data.funsearch-binpacking.json")
            ?? throw new InvalidOperationException("The embedded bin packing data is missing from EvoCode.Evaluators.");
        using var document = JsonDocument.Parse(stream);
        var datasets = document.RootElement.GetProperty("datasets");
        return new Dictionary<string, IReadOnlyList<BinPackingInstance>>
        {
            [Or3] = Read(datasets.GetProperty("OR3")),
            [Weibull5k] = Read(datasets.GetProperty("Weibull 5k")),
        }.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static BinPackingInstance[] Read(JsonElement dataset) =>
    [
        .. dataset.EnumerateObject().Select(p => new BinPackingInstance(
            p.Name,
            p.Value.GetProperty("capacity").GetInt32(),
            [.. p.Value.GetProperty("items").EnumerateArray().Select(i => i.GetInt32())])),
    ];
}
