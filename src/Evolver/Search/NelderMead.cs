namespace EvoCode.Evolver.Search;

/// <summary>What a <see cref="NelderMead"/> search found: the best point, its value, and the evaluations it spent.</summary>
public sealed record NelderMeadResult(double[] Best, double Value, int Evaluations);

/// <summary>
/// Derivative-free minimisation by the Nelder–Mead simplex, with the dimension-adaptive coefficients of Gao and
/// Han (2012) from two dimensions on. Written here rather than taken from Math.NET because the objective is an
/// asynchronous sandbox evaluation charged to a hard evaluation budget: the search must be able to stop at any
/// single evaluation (the budget ran out) and never call the objective more than <c>maxEvaluations</c> times,
/// which an iteration-bounded synchronous minimiser cannot promise (see ADR-019).
/// </summary>
public static class NelderMead
{
    /// <summary>
    /// Minimises <paramref name="objective"/> from <paramref name="start"/>, whose value is already known
    /// (<paramref name="startValue"/>, never evaluated again). The objective returns <c>null</c> when it may not
    /// evaluate any more, which ends the search; NaN counts as the worst possible value (a program that
    /// failed). At most <paramref name="maxEvaluations"/> calls are made.
    /// </summary>
    /// <param name="steps">The initial simplex's edge along each coordinate (non-zero).</param>
    public static async Task<NelderMeadResult> MinimizeAsync(
        Func<double[], CancellationToken, Task<double?>> objective,
        double[] start,
        double startValue,
        double[] steps,
        int maxEvaluations,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(steps);
        if (start.Length == 0 || steps.Length != start.Length)
        {
            throw new ArgumentException("A start point with at least one coordinate and one step per coordinate is needed.", nameof(steps));
        }

        var n = start.Length;
        var (reflect, expand, contract, shrink) = n >= 2
            ? (1.0, 1 + (2.0 / n), 0.75 - (1.0 / (2 * n)), 1 - (1.0 / n))
            : (1.0, 2.0, 0.5, 0.5);
        var search = new Search(objective, maxEvaluations, start, Worst(startValue));
        var points = new double[n + 1][];
        var values = new double[n + 1];
        points[0] = (double[])start.Clone();
        values[0] = Worst(startValue);
        for (var i = 0; i < n; i++)
        {
            var vertex = (double[])start.Clone();
            vertex[i] += steps[i];
            if (await search.EvaluateAsync(vertex, cancellationToken) is not { } value)
            {
                return search.Result;
            }

            points[i + 1] = vertex;
            values[i + 1] = value;
        }

        while (true)
        {
            Array.Sort(values, points);
            if (Collapsed(points))
            {
                return search.Result;
            }

            var centroid = new double[n];
            for (var i = 0; i < n; i++)
            {
                for (var d = 0; d < n; d++)
                {
                    centroid[d] += points[i][d] / n;
                }
            }

            var worst = points[n];
            var reflected = Along(centroid, worst, -reflect);
            if (await search.EvaluateAsync(reflected, cancellationToken) is not { } reflectedValue)
            {
                return search.Result;
            }

            if (reflectedValue < values[0])
            {
                var expanded = Along(centroid, worst, -reflect * expand);
                if (await search.EvaluateAsync(expanded, cancellationToken) is not { } expandedValue)
                {
                    return search.Result;
                }

                (points[n], values[n]) = expandedValue < reflectedValue ? (expanded, expandedValue) : (reflected, reflectedValue);
                continue;
            }

            if (reflectedValue < values[n - 1])
            {
                (points[n], values[n]) = (reflected, reflectedValue);
                continue;
            }

            // Contract outside (towards the reflection) when it beat the worst, else inside (towards the worst).
            var outside = reflectedValue < values[n];
            var contracted = Along(centroid, worst, outside ? -reflect * contract : contract);
            if (await search.EvaluateAsync(contracted, cancellationToken) is not { } contractedValue)
            {
                return search.Result;
            }

            if (outside ? contractedValue <= reflectedValue : contractedValue < values[n])
            {
                (points[n], values[n]) = (contracted, contractedValue);
                continue;
            }

            for (var i = 1; i <= n; i++)
            {
                var moved = Along(points[0], points[i], shrink);
                if (await search.EvaluateAsync(moved, cancellationToken) is not { } movedValue)
                {
                    return search.Result;
                }

                (points[i], values[i]) = (moved, movedValue);
            }
        }
    }

    /// <summary><paramref name="from"/> + t × (<paramref name="to"/> − <paramref name="from"/>).</summary>
    private static double[] Along(double[] from, double[] to, double t)
    {
        var point = new double[from.Length];
        for (var d = 0; d < from.Length; d++)
        {
            point[d] = from[d] + (t * (to[d] - from[d]));
        }

        return point;
    }

    /// <summary>Whether every vertex is (numerically) the best one: nothing is left to search.</summary>
    private static bool Collapsed(double[][] points)
    {
        for (var i = 1; i < points.Length; i++)
        {
            for (var d = 0; d < points[0].Length; d++)
            {
                if (Math.Abs(points[i][d] - points[0][d]) > 1e-12 * Math.Max(1, Math.Abs(points[0][d])))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static double Worst(double value) => double.IsNaN(value) ? double.PositiveInfinity : value;

    /// <summary>The evaluations of one search: the cap, the refusals and the best point seen.</summary>
    private sealed class Search(Func<double[], CancellationToken, Task<double?>> objective, int maxEvaluations, double[] start, double startValue)
    {
        private double[] _best = (double[])start.Clone();
        private double _bestValue = startValue;
        private int _evaluations;

        public NelderMeadResult Result => new(_best, _bestValue, _evaluations);

        /// <summary>The point's value, or <c>null</c> when the search must stop (cap reached or refused).</summary>
        public async Task<double?> EvaluateAsync(double[] point, CancellationToken cancellationToken)
        {
            if (_evaluations >= maxEvaluations || await objective(point, cancellationToken) is not { } value)
            {
                return null;
            }

            _evaluations++;
            value = Worst(value);
            if (value < _bestValue)
            {
                (_best, _bestValue) = ((double[])point.Clone(), value);
            }

            return value;
        }
    }
}
