namespace EvoCode.Evaluators.Problems.BinPacking;

/// <summary>One online bin packing instance: items in arrival order and the bin capacity.</summary>
/// <param name="Name">Instance name from the dataset, such as "u500_00".</param>
/// <param name="Capacity">Capacity of every bin.</param>
/// <param name="Items">Item sizes in arrival order.</param>
public sealed record BinPackingInstance(string Name, int Capacity, IReadOnlyList<int> Items)
{
    /// <summary>The L1 lower bound: ceil(sum of items / capacity).</summary>
    public int LowerBound => (int)((Items.Sum(i => (long)i) + Capacity - 1) / Capacity);
}
