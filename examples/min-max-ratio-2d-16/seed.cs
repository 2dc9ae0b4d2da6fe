using System;
using System.Collections.Generic;
using System.Linq;

public static class MinMaxRatio
{
    // Entry point called by the evaluator: n rows of d coordinates.
    public static double[][] Construct(int n, int d) => Place(n, d);

    // EVOLVE-BLOCK-START
    // Start from the first n points of a square (cubic) lattice: valid, but far from the best ratio.
    private static double[][] Place(int n, int d)
    {
        var side = 1;
        while (Math.Pow(side, d) < n)
        {
            side++;
        }

        var points = new double[n][];
        for (var i = 0; i < n; i++)
        {
            points[i] = new double[d];
            var index = i;
            for (var k = 0; k < d; k++)
            {
                points[i][k] = index % side;
                index /= side;
            }
        }

        return points;
    }
    // EVOLVE-BLOCK-END
}
