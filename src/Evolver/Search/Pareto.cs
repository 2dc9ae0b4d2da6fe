namespace EvoCode.Evolver.Search;

/// <summary>
/// Pareto dominance, non-dominated sorting and NSGA-II crowding over objective vectors oriented so that higher is
/// better in every component (a minimized objective is negated before it gets here). Results are by index into the
/// input and never depend on anything but the values and their order, so a replayed run decides the same.
/// </summary>
public static class Pareto
{
    /// <summary>Whether <paramref name="a"/> is at least as good as <paramref name="b"/> everywhere and better somewhere.</summary>
    public static bool Dominates(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count)
        {
            throw new ArgumentException("Objective vectors must have the same length.", nameof(b));
        }

        var better = false;
        for (var i = 0; i < a.Count; i++)
        {
            if (a[i] < b[i])
            {
                return false;
            }

            better |= a[i] > b[i];
        }

        return better;
    }

    /// <summary>Indexes of the points no other point dominates, in input order (equal points are all kept).</summary>
    public static IReadOnlyList<int> NonDominated(IReadOnlyList<IReadOnlyList<double>> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var kept = new List<int>();
        for (var i = 0; i < points.Count; i++)
        {
            var dominated = false;
            for (var j = 0; j < points.Count && !dominated; j++)
            {
                dominated = j != i && Dominates(points[j], points[i]);
            }

            if (!dominated)
            {
                kept.Add(i);
            }
        }

        return kept;
    }

    /// <summary>Each point's Pareto rank: 0 for the non-dominated, 1 for those non-dominated once rank 0 is removed, and so on.</summary>
    public static int[] Ranks(IReadOnlyList<IReadOnlyList<double>> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var n = points.Count;
        var ranks = new int[n];
        var dominatedBy = new int[n];
        var dominates = new List<int>[n];
        for (var i = 0; i < n; i++)
        {
            dominates[i] = [];
        }

        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                if (Dominates(points[i], points[j]))
                {
                    dominates[i].Add(j);
                    dominatedBy[j]++;
                }
                else if (Dominates(points[j], points[i]))
                {
                    dominates[j].Add(i);
                    dominatedBy[i]++;
                }
            }
        }

        var current = Enumerable.Range(0, n).Where(i => dominatedBy[i] == 0).ToList();
        for (var rank = 0; current.Count > 0; rank++)
        {
            var next = new List<int>();
            foreach (var i in current)
            {
                ranks[i] = rank;
                foreach (var j in dominates[i])
                {
                    if (--dominatedBy[j] == 0)
                    {
                        next.Add(j);
                    }
                }
            }

            current = next;
        }

        return ranks;
    }

    /// <summary>
    /// NSGA-II crowding distance of each point within <paramref name="points"/> (one front): the sum over objectives of
    /// the gap between its neighbours, normalized by the objective's range; the extremes of every objective get
    /// infinity. An objective on which all points are equal adds nothing. Ties in sorting keep input order.
    /// </summary>
    public static double[] Crowding(IReadOnlyList<IReadOnlyList<double>> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var n = points.Count;
        var distance = new double[n];
        if (n == 0)
        {
            return distance;
        }

        for (var m = 0; m < points[0].Count; m++)
        {
            var objective = m;
            var order = Enumerable.Range(0, n).OrderBy(i => points[i][objective]).ThenBy(i => i).ToArray();
            var low = points[order[0]][objective];
            var high = points[order[^1]][objective];
            distance[order[0]] = double.PositiveInfinity;
            distance[order[^1]] = double.PositiveInfinity;
            if (high <= low)
            {
                continue;
            }

            for (var k = 1; k < n - 1; k++)
            {
                distance[order[k]] += (points[order[k + 1]][objective] - points[order[k - 1]][objective]) / (high - low);
            }
        }

        return distance;
    }
}
