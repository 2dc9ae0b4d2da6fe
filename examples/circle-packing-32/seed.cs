using System;
using System.Collections.Generic;
using System.Linq;

public static class CirclePacking
{
    // Entry point called by the evaluator: n rows of { x, y, r }.
    public static double[][] Pack(int n) => Construct(n);

    // EVOLVE-BLOCK-START
    // The ring layout OpenEvolve and ShinkaEvolve start from: one circle in the centre, 8 on a ring of
    // radius 0.3 and 16 on a ring of radius 0.7, clipped into [0.01, 0.99]; any further circles start at
    // the origin. Radii are then grown to the walls and shrunk pairwise until nothing overlaps.
    private static double[][] Construct(int n)
    {
        var centers = new double[n][];
        for (var i = 0; i < n; i++)
        {
            centers[i] = new double[2];
        }

        centers[0] = [0.5, 0.5];
        for (var i = 0; i < 8 && i + 1 < n; i++)
        {
            var angle = 2 * Math.PI * i / 8;
            centers[i + 1] = [0.5 + (0.3 * Math.Cos(angle)), 0.5 + (0.3 * Math.Sin(angle))];
        }

        for (var i = 0; i < 16 && i + 9 < n; i++)
        {
            var angle = 2 * Math.PI * i / 16;
            centers[i + 9] = [0.5 + (0.7 * Math.Cos(angle)), 0.5 + (0.7 * Math.Sin(angle))];
        }

        foreach (var c in centers)
        {
            c[0] = Math.Clamp(c[0], 0.01, 0.99);
            c[1] = Math.Clamp(c[1], 0.01, 0.99);
        }

        var radii = MaxRadii(centers);
        var circles = new double[n][];
        for (var i = 0; i < n; i++)
        {
            circles[i] = [centers[i][0], centers[i][1], radii[i]];
        }

        return circles;
    }

    private static double[] MaxRadii(double[][] centers)
    {
        var n = centers.Length;
        var radii = new double[n];
        for (var i = 0; i < n; i++)
        {
            var (x, y) = (centers[i][0], centers[i][1]);
            radii[i] = Math.Min(Math.Min(x, y), Math.Min(1 - x, 1 - y));
        }

        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                var dx = centers[i][0] - centers[j][0];
                var dy = centers[i][1] - centers[j][1];
                var distance = Math.Sqrt((dx * dx) + (dy * dy));
                if (radii[i] + radii[j] > distance)
                {
                    // The reference seed scales by exactly d / (r_i + r_j); rounding can then leave an overlap
                    // of ~1e-17, which the exact (tolerance 0) check rejects, so shrink a hair more.
                    var scale = distance / (radii[i] + radii[j]) * (1 - 1e-12);
                    radii[i] *= scale;
                    radii[j] *= scale;
                }
            }
        }

        return radii;
    }
    // EVOLVE-BLOCK-END
}
