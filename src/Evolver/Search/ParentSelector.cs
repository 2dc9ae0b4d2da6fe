namespace EvoCode.Evolver.Search;

/// <summary>
/// Draws parents and inspirations from an island. Every draw costs O(log n) in the number of elites, or O(1)
/// expected for the weighted rule (rejection sampling against a weight bound of 1), never a scan. Hill climbing
/// is pure: always the island's best, never an exploring or population draw. The other strategies draw a
/// <paramref name="populationShare"/> of parents uniformly from the island's recent correct programs, and of
/// the rest a 1 − <paramref name="exploitRatio"/> share uniformly over filled cells.
/// </summary>
public sealed class ParentSelector(ParentSelection strategy, double exploitRatio, double powerLawAlpha = 1.0, double weightSharpness = 10.0, double populationShare = 0.0)
{
    private const int MaxRejections = 256;

    public ParentSelection Strategy { get; } = strategy;

    public Elite SelectParent(IslandArchive island, Random random)
    {
        ArgumentNullException.ThrowIfNull(island);
        ArgumentNullException.ThrowIfNull(random);
        if (island.Count == 0)
        {
            throw new InvalidOperationException($"Island {island.Island} has no elites to select from.");
        }

        if (Strategy == ParentSelection.HillClimb)
        {
            return island.Best;
        }

        // Pareto selection is pure too: every parent is a front member (the best only before any front exists).
        if (Strategy == ParentSelection.Pareto)
        {
            return island.Fronts.Members.Count == 0 ? island.Best : Tournament(island.Fronts, random);
        }

        // The population behind the archive: recent correct programs, elites or not.
        if (populationShare > 0 && island.Population.Count > 0 && random.NextDouble() < populationShare)
        {
            return island.Population.ElementAt(random.Next(island.Population.Count));
        }

        // Explore: uniform over filled cells.
        if (random.NextDouble() >= exploitRatio)
        {
            return Uniform(island, random);
        }

        return Strategy switch
        {
            ParentSelection.PowerLaw => island.ByRank(PowerLawRank(island.Count, random)),
            ParentSelection.Weighted => Weighted(island, random),
            ParentSelection.Uniform => Uniform(island, random),
            ParentSelection.HillClimb => island.Best,
            _ => throw new InvalidOperationException($"Unknown selection strategy {Strategy}."),
        };
    }

    /// <summary>Top elites and, for diversity, elites of other cells; never the parent, never twice.</summary>
    public IReadOnlyList<Elite> SelectInspirations(IslandArchive island, Elite parent, int count, Random random)
    {
        ArgumentNullException.ThrowIfNull(island);
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(random);
        var chosen = new List<Elite>(count);
        foreach (var elite in island.Top((count + 1) / 2 + 1))
        {
            if (chosen.Count < (count + 1) / 2 && elite.Id != parent.Id)
            {
                chosen.Add(elite);
            }
        }

        for (var attempt = 0; chosen.Count < count && attempt < count * 4 && island.Count > chosen.Count + 1; attempt++)
        {
            var candidate = Uniform(island, random);
            if (candidate.Id != parent.Id && candidate.CellKey != parent.CellKey && !chosen.Exists(c => c.Id == candidate.Id))
            {
                chosen.Add(candidate);
            }
        }

        return chosen;
    }

    /// <summary>Inverse-CDF draw of a rank from the continuous power law on [1, n + 1), O(1).</summary>
    internal int PowerLawRank(int count, Random random)
    {
        var u = random.NextDouble();
        double x;
        if (Math.Abs(powerLawAlpha - 1.0) < 1e-9)
        {
            x = Math.Exp(u * Math.Log(count + 1.0));
        }
        else
        {
            var a = 1.0 - powerLawAlpha;
            x = Math.Pow(1.0 + (u * (Math.Pow(count + 1.0, a) - 1.0)), 1.0 / a);
        }

        return Math.Clamp((int)Math.Floor(x) - 1, 0, count - 1);
    }

    /// <summary>Two members drawn uniformly; the lower Pareto rank wins, then the larger crowding distance, then the first drawn.</summary>
    internal static Elite Tournament(CellFronts fronts, Random random)
    {
        var members = fronts.Members;
        var (ranks, crowding) = fronts.Order();
        var a = random.Next(members.Count);
        var b = random.Next(members.Count);
        var bWins = ranks[b] < ranks[a] || (ranks[b] == ranks[a] && crowding[b] > crowding[a]);
        return members[bWins ? b : a].Program;
    }

    private static Elite Uniform(IslandArchive island, Random random) => island.Elites[random.Next(island.Count)];

    private Elite Weighted(IslandArchive island, Random random)
    {
        // ShinkaEvolve's scale: the median absolute deviation, so one outlier does not flatten every weight.
        var median = island.MedianScore;
        var mad = island.MedianAbsoluteDeviation;
        var spread = mad > 0 ? mad : Math.Max(Math.Abs(island.Best.Score - median), 1e-12);
        Elite? fallback = null;
        var fallbackWeight = -1.0;
        for (var i = 0; i < MaxRejections; i++)
        {
            var elite = Uniform(island, random);
            var weight = Weight(elite, island, median, spread);
            if (random.NextDouble() < weight)
            {
                return elite;
            }

            if (weight > fallbackWeight)
            {
                (fallback, fallbackWeight) = (elite, weight);
            }
        }

        return fallback!;
    }

    private double Weight(Elite elite, IslandArchive island, double median, double spread)
    {
        var z = weightSharpness * (elite.Score - median) / spread;
        return 1.0 / (1.0 + Math.Exp(-z)) / (1.0 + island.ChildrenOf(elite.Id));
    }

    public static ParentSelection Parse(string name) => name.ToLowerInvariant() switch
    {
        "power-law" or "powerlaw" => ParentSelection.PowerLaw,
        "weighted" => ParentSelection.Weighted,
        "uniform" => ParentSelection.Uniform,
        "hill-climb" or "hillclimb" => ParentSelection.HillClimb,
        "pareto" => ParentSelection.Pareto,
        _ => throw new ArgumentException($"Unknown parent selection '{name}': use power-law, weighted, uniform, hill-climb or pareto.", nameof(name)),
    };
}
