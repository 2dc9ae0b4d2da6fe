using System;
using System.Collections.Generic;
using System.Linq;

public static class Heilbronn
{
    // Entry point called by the evaluator: n rows of { x, y }.
    public static double[][] Construct(int n) => Place(n);

    // EVOLVE-BLOCK-START
    // Start with a regular n-gon: every point is a hull vertex and no three are collinear.
    private static double[][] Place(int n)
    {
        var points = new double[n][];
        for (var i = 0; i < n; i++)
        {
            var angle = 2 * Math.PI * i / n;
            points[i] = [Math.Cos(angle), Math.Sin(angle)];
        }

        return points;
    }
    // EVOLVE-BLOCK-END
}
