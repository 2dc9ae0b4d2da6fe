using System.Globalization;
using System.Text.Json;
using EvoCode.Evaluators.Contract;
using EvoCode.Evaluators.Scoring;

namespace EvoCode.Evaluators.Problems.BinPacking;

/// <summary>
/// Checks a packing of one dataset (every item in exactly one bin, no bin over capacity) and measures the
/// mean number of bins used against the mean L1 lower bound. Metrics: <c>{dataset}_bins</c> and
/// <c>{dataset}_excess_percent</c> = 100 · (mean bins − mean L1) / mean L1; the score is minus the excess.
/// </summary>
/// <param name="dataset">A dataset id from <see cref="BinPackingDatasets"/>.</param>
public sealed class BinPackingScorer(string dataset) : IOutputScorer
{
    /// <inheritdoc />
    public EvaluationResult Score(string rawOutput)
    {
        var instances = BinPackingDatasets.Get(dataset);
        if (!RawOutput.TryParse(rawOutput, out var document, out var parseError))
        {
            return Fail(parseError);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("dataset", out var name) || name.GetString() != dataset
                || !root.TryGetProperty("instances", out var packed) || packed.ValueKind != JsonValueKind.Array)
            {
                return Fail($"The output is not a packing of dataset '{dataset}'.");
            }

            if (packed.GetArrayLength() != instances.Count)
            {
                return Fail($"Expected packings of {instances.Count} instances, got {packed.GetArrayLength()}.");
            }

            var totalBins = 0L;
            for (var n = 0; n < instances.Count; n++)
            {
                var instance = instances[n];
                var entry = packed[n];
                if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("name", out var entryName) || entryName.GetString() != instance.Name
                    || !entry.TryGetProperty("bins", out var bins) || bins.ValueKind != JsonValueKind.Array)
                {
                    return Fail($"Packing {n} is not instance {instance.Name}.");
                }

                if (bins.GetArrayLength() != instance.Items.Count)
                {
                    return Fail($"Instance {instance.Name}: {bins.GetArrayLength()} items were placed, but it has {instance.Items.Count}.");
                }

                var load = new Dictionary<int, int>();
                var item = 0;
                foreach (var bin in bins.EnumerateArray())
                {
                    if (!bin.TryGetInt32(out var index) || index < 0 || index >= instance.Items.Count)
                    {
                        return Fail($"Instance {instance.Name}: item {item} went to an invalid bin ({bin.GetRawText()}).");
                    }

                    load[index] = load.GetValueOrDefault(index) + instance.Items[item];
                    if (load[index] > instance.Capacity)
                    {
                        return Fail($"Instance {instance.Name}: bin {index} holds {load[index]} after item {item}, over the capacity {instance.Capacity}.");
                    }

                    item++;
                }

                totalBins += load.Count;
            }

            var meanBins = (double)totalBins / instances.Count;
            var lowerBound = BinPackingDatasets.MeanLowerBound(dataset);
            var excess = 100 * (meanBins - lowerBound) / lowerBound;
            return new EvaluationResult
            {
                Correct = true,
                Score = -excess,
                Metrics = new Dictionary<string, double>
                {
                    [$"{dataset}_bins"] = meanBins,
                    [$"{dataset}_excess_percent"] = excess,
                },
                Artifacts =
                [
                    Artifact.Feedback($"{dataset}", string.Create(CultureInfo.InvariantCulture, $"{dataset}: {meanBins:0.###} bins on average over {instances.Count} instances; L1 bound {lowerBound:0.###}; excess {excess:0.###}%.")),
                ],
            }.RequireFinite();
        }
    }

    private static EvaluationResult Fail(string message) => EvaluationResult.Incorrect(message, artifacts: [Artifact.Feedback("validation", message)]);
}
