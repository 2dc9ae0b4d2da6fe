using System;
using System.Collections.Generic;
using System.Linq;

public static class BinPacking
{
    // Entry point called for every arriving item: one priority per feasible bin. `bins` holds the remaining
    // capacity of each bin the item fits in (empty bins included); the item goes to the highest priority.
    public static double[] Priority(double item, double[] bins) => Score(item, bins);

    // EVOLVE-BLOCK-START
    // Best fit: prefer the bin that the item leaves with the least room.
    private static double[] Score(double item, double[] bins)
    {
        var priorities = new double[bins.Length];
        for (var i = 0; i < bins.Length; i++)
        {
            priorities[i] = -(bins[i] - item);
        }

        return priorities;
    }
    // EVOLVE-BLOCK-END
}
