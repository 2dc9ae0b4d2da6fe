namespace EvoCode.Evaluators.Problems.PointSets;

/// <summary>The convex hull of points in the plane (Andrew's monotone chain), as SciPy's ConvexHull measures it.</summary>
public static class ConvexHull
{
    /// <summary>The hull's vertices in counter-clockwise order, without collinear points.</summary>
    public static IReadOnlyList<double[]> Vertices(IReadOnlyList<double[]> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var sorted = points.OrderBy(p => p[0]).ThenBy(p => p[1]).ToArray();
        if (sorted.Length < 3)
        {
            return sorted;
        }

        var hull = new double[2 * sorted.Length][];
        var k = 0;
        foreach (var p in sorted)
        {
            while (k >= 2 && Cross(hull[k - 2], hull[k - 1], p) <= 0)
            {
                k--;
            }

            hull[k++] = p;
        }

        for (int i = sorted.Length - 2, lower = k + 1; i >= 0; i--)
        {
            while (k >= lower && Cross(hull[k - 2], hull[k - 1], sorted[i]) <= 0)
            {
                k--;
            }

            hull[k++] = sorted[i];
        }

        return hull[..(k - 1)];
    }

    /// <summary>The area enclosed by the hull (shoelace formula).</summary>
    public static double Area(IReadOnlyList<double[]> vertices)
    {
        ArgumentNullException.ThrowIfNull(vertices);
        var twice = 0.0;
        for (var i = 0; i < vertices.Count; i++)
        {
            var a = vertices[i];
            var b = vertices[(i + 1) % vertices.Count];
            twice += (a[0] * b[1]) - (b[0] * a[1]);
        }

        return Math.Abs(twice) / 2;
    }

    private static double Cross(double[] o, double[] a, double[] b) => ((a[0] - o[0]) * (b[1] - o[1])) - ((a[1] - o[1]) * (b[0] - o[0]));
}
