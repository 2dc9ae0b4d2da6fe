using EvoCode.Evaluators.Harnesses;

namespace EvoCode.Evaluators.Problems.BinPacking;

/// <summary>
/// FunSearch's online protocol: every item goes to the feasible bin whose priority is highest (first maximum
/// wins ties). As in the notebook, all bins start open and empty (one per item), so "open a new bin" is the
/// empty bin with the lowest index.
/// </summary>
public static class OnlineBinPacking
{
    /// <summary>Packs the instance and returns, for each item, the index of the bin it went to.</summary>
    /// <param name="instance">The items and the capacity.</param>
    /// <param name="priority">The heuristic: (item, remaining capacities of the feasible bins) → one priority per bin.</param>
    /// <exception cref="HarnessException">The heuristic returned null, the wrong count, or a non-finite priority.</exception>
    public static int[] Pack(BinPackingInstance instance, Func<double, double[], double[]> priority)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(priority);
        var count = instance.Items.Count;
        var remaining = new int[count];
        Array.Fill(remaining, instance.Capacity);
        var assignment = new int[count];
        var feasible = new int[count];
        for (var itemIndex = 0; itemIndex < count; itemIndex++)
        {
            var item = instance.Items[itemIndex];
            var open = 0;
            for (var b = 0; b < count; b++)
            {
                if (remaining[b] - item >= 0)
                {
                    feasible[open++] = b;
                }
            }

            // A fresh array per call: the heuristic may write into it, and that must not touch the real bins.
            var offered = new double[open];
            for (var k = 0; k < open; k++)
            {
                offered[k] = remaining[feasible[k]];
            }

            var priorities = priority(item, offered)
                ?? throw new HarnessException($"Priority returned null for item {itemIndex} ({item}) of instance {instance.Name}.");
            if (priorities.Length != open)
            {
                throw new HarnessException($"Priority returned {priorities.Length} values for item {itemIndex} of instance {instance.Name}; expected one per feasible bin ({open}).");
            }

            // Read once, straight away: nothing the heuristic does on a later call can change this choice.
            var best = 0;
            for (var k = 0; k < open; k++)
            {
                if (!double.IsFinite(priorities[k]))
                {
                    throw new HarnessException($"Priority returned {priorities[k]} for feasible bin {k} at item {itemIndex} of instance {instance.Name}; priorities must be finite.");
                }

                if (priorities[k] > priorities[best])
                {
                    best = k;
                }
            }

            var chosen = feasible[best];
            remaining[chosen] -= item;
            assignment[itemIndex] = chosen;
        }

        return assignment;
    }
}
