namespace EvoCode.Evolver.Search;

/// <summary>
/// A 2-D map of high-dimensional points (the programs' code embeddings) by principal component analysis: the
/// points, centred, projected on the two directions of largest variance, found by power iteration with
/// deflation (two components of a few hundred dimensions need no linear-algebra package). Each direction's sign
/// is fixed (its largest coefficient positive) so the same points always give the same map.
/// </summary>
public static class PrincipalComponents
{
    private const int Iterations = 200;

    /// <summary>Each point's (x, y) on the map and the share of the variance each axis explains.</summary>
    public static (double[][] Coordinates, double[] ExplainedVariance) Project2D(IReadOnlyList<float[]> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0)
        {
            return ([], [0, 0]);
        }

        var n = points.Count;
        var d = points[0].Length;
        var centred = new double[n][];
        var mean = new double[d];
        foreach (var point in points)
        {
            for (var j = 0; j < d; j++)
            {
                mean[j] += point[j] / (double)n;
            }
        }

        var total = 0.0;
        for (var i = 0; i < n; i++)
        {
            centred[i] = new double[d];
            for (var j = 0; j < d; j++)
            {
                centred[i][j] = points[i][j] - mean[j];
                total += centred[i][j] * centred[i][j];
            }
        }

        var coordinates = Enumerable.Range(0, n).Select(_ => new double[2]).ToArray();
        var explained = new double[2];
        for (var component = 0; component < 2; component++)
        {
            var direction = Direction(centred, d);
            var variance = 0.0;
            for (var i = 0; i < n; i++)
            {
                var projection = Dot(centred[i], direction);
                coordinates[i][component] = projection;
                variance += projection * projection;

                // Deflate: the next component is looked for in what this one leaves.
                for (var j = 0; j < d; j++)
                {
                    centred[i][j] -= projection * direction[j];
                }
            }

            explained[component] = total == 0 ? 0 : variance / total;
        }

        return (coordinates, explained);
    }

    /// <summary>The unit direction of largest variance of the rows (zero when they have none).</summary>
    private static double[] Direction(double[][] rows, int d)
    {
        // A fixed, uneven start keeps the iteration deterministic and off any symmetric saddle.
        var v = Enumerable.Range(0, d).Select(j => 1.0 + (j % 7 * 0.1)).ToArray();
        Normalize(v);
        for (var iteration = 0; iteration < Iterations; iteration++)
        {
            var next = new double[d];
            foreach (var row in rows)
            {
                var weight = Dot(row, v);
                for (var j = 0; j < d; j++)
                {
                    next[j] += weight * row[j];
                }
            }

            if (!Normalize(next))
            {
                return next;
            }

            v = next;
        }

        var largest = v.MaxBy(Math.Abs);
        if (largest < 0)
        {
            for (var j = 0; j < d; j++)
            {
                v[j] = -v[j];
            }
        }

        return v;
    }

    private static double Dot(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var j = 0; j < a.Length; j++)
        {
            sum += a[j] * b[j];
        }

        return sum;
    }

    /// <summary>Scales to length 1; false (and all zeros) when the vector is zero.</summary>
    private static bool Normalize(double[] v)
    {
        var norm = Math.Sqrt(Dot(v, v));
        for (var j = 0; j < v.Length; j++)
        {
            v[j] = norm < 1e-300 ? 0 : v[j] / norm;
        }

        return norm >= 1e-300;
    }
}
