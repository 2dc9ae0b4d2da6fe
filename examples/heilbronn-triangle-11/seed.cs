using System;
using System.Collections.Generic;
using System.Linq;

public static class Heilbronn
{
    // Entry point called by the evaluator: n rows of { x, y }.
    public static double[][] Construct(int n) => Place(n);

    // EVOLVE-BLOCK-START
    // Start with the points evenly spaced on a circle inside the triangle (0,0), (1,0), (1/2, sqrt(3)/2):
    // no three points on a circle are collinear, so every triangle has a positive area.
    private static double[][] Place(int n)
    {
        var centerX = 0.5;
        var centerY = Math.Sqrt(3) / 6;
        var radius = 0.9 * Math.Sqrt(3) / 6;
        var points = new double[n][];
        for (var i = 0; i < n; i++)
        {
            var angle = (2 * Math.PI * i / n) + 0.1;
            points[i] = [centerX + (radius * Math.Cos(angle)), centerY + (radius * Math.Sin(angle))];
        }

        return points;
    }
    // EVOLVE-BLOCK-END
}
