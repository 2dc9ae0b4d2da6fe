using EvoCode.Evolver.Mutation;
using EvoCode.Evolver.Search;

namespace EvoCode.Evolver.Engine;

/// <summary>The parents of one proposal slot: a parent, a second parent for crossover, inspirations, the parent's place in the archive, and the slot's random stream.</summary>
internal sealed record SelectedParents(Elite Parent, Elite? Second, IReadOnlyList<Elite> Inspirations, Random Random, ArchivePlace? Archive = null);

/// <summary>
/// Parent sampling: islands in round robin, the run's selection strategy within an island (over its elites and
/// its population). A drawn parent counts a child in flight until the child is evaluated or the slot gives up.
/// Inspirations come from other cells of the island and, when the run has several islands, from the others (one
/// slot kept for them); the request builder tops them up with the run's best when the archive is still young.
/// </summary>
internal sealed class ParentSampling(RunState state)
{
    private readonly ParentSelector _selector = new(
        ParentSelector.Parse(state.Settings.ParentSelection), state.Settings.ExploitRatio, state.Settings.PowerLawAlpha, populationShare: state.Settings.PopulationShare);
    private readonly HashSet<string> _hiddenMetrics = [.. state.Evaluator.Descriptor.Metrics.Where(m => !m.ShownToModel).Select(m => m.Name)];
    private int _nextIsland;

    /// <summary>Under the run's lock: island (round robin), parent, a second parent for crossover, inspirations, the archive place, and a child random source.</summary>
    public SelectedParents Select()
    {
        // An island being restarted is empty for a moment: skip it (the island with the run's best is never restarted).
        var island = state.Islands[_nextIsland];
        for (var i = 0; i < state.Islands.Length && island.Count == 0; i++)
        {
            _nextIsland = (_nextIsland + 1) % state.Islands.Length;
            island = state.Islands[_nextIsland];
        }

        _nextIsland = (_nextIsland + 1) % state.Islands.Length;
        var parent = _selector.SelectParent(island, state.Random);
        var inspirations = Inspirations(island, parent, state.Settings.Inspirations);
        Elite? second = null;
        if (island.Count > 1)
        {
            for (var i = 0; i < 8 && (second is null || second.Id == parent.Id); i++)
            {
                second = _selector.SelectParent(island, state.Random);
            }

            second = second?.Id == parent.Id ? null : second;
        }

        island.StartProposal(parent.Id);

        // Operators get their own stream, drawn from the run's, so they can work outside the lock.
        var childRandom = new RunRandom((int)(state.Random.NextUInt64() & 0x7FFFFFFF));
        return new SelectedParents(parent, second, inspirations, childRandom, Place(island, parent));
    }

    private List<Elite> Inspirations(IslandArchive island, Elite parent, int count)
    {
        var others = state.Islands.Where(i => i.Island != island.Island && i.Count > 0).ToList();
        var local = _selector.SelectInspirations(island, parent, others.Count > 0 ? Math.Max(0, count - 1) : count, state.Random);
        var chosen = new List<Elite>(count);
        var hashes = new HashSet<string>(StringComparer.Ordinal) { parent.CodeHash };
        foreach (var elite in local.Where(e => hashes.Add(e.CodeHash)))
        {
            chosen.Add(elite);
        }

        // The other islands' best first, one island after the other, skipping copies of programs already chosen.
        for (var rank = 0; chosen.Count < count && others.Exists(i => rank < i.Count); rank++)
        {
            foreach (var other in others.Where(i => rank < i.Count))
            {
                var elite = other.ByRank(rank);
                if (chosen.Count < count && hashes.Add(elite.CodeHash))
                {
                    chosen.Add(elite);
                }
            }
        }

        return chosen;
    }

    /// <summary>The parent's cell over the dimensions the model may see (a hidden metric is never named) and the empty cells next to it.</summary>
    private ArchivePlace? Place(IslandArchive island, Elite parent)
    {
        var dimensions = state.Grid.Dimensions;
        var bins = parent.CellKey.Split('-');
        if (dimensions.Count == 0 || bins.Length != dimensions.Count)
        {
            return null;
        }

        var shown = new List<DimensionBin>();
        var empty = new List<DimensionBin>();
        for (var d = 0; d < dimensions.Count; d++)
        {
            if (_hiddenMetrics.Contains(dimensions[d].Name) || !int.TryParse(bins[d], System.Globalization.CultureInfo.InvariantCulture, out var bin))
            {
                continue;
            }

            shown.Add(Bin(d, bin));
            foreach (var next in new[] { bin - 1, bin + 1 }.Where(b => b >= 0 && b < dimensions[d].Bins))
            {
                var key = string.Join('-', bins.Select((b, i) => i == d ? next.ToString(System.Globalization.CultureInfo.InvariantCulture) : b));
                if (island[key] is null)
                {
                    empty.Add(Bin(d, next));
                }
            }
        }

        var total = dimensions.Aggregate(1L, (product, dimension) => product * dimension.Bins);
        return shown.Count == 0 ? null : new ArchivePlace(shown, island.Count, total, empty);
    }

    private DimensionBin Bin(int dimension, int bin)
    {
        var d = state.Grid.Dimensions[dimension];
        var log = d.Scale == Domain.BinScale.Log;
        var (lo, hi) = log ? (Math.Log(d.Min), Math.Log(d.Max)) : (d.Min, d.Max);
        double At(int b) => log ? Math.Exp(lo + ((hi - lo) * b / d.Bins)) : lo + ((hi - lo) * b / d.Bins);
        return new DimensionBin(d.Name, bin, d.Bins, At(bin), At(bin + 1), log);
    }

    /// <summary>Under the run's lock: the slot of <paramref name="selected"/> stored no child, so its parent has one proposal less in flight.</summary>
    public void Release(SelectedParents selected) => state.Islands[selected.Parent.Island].EndProposal(selected.Parent.Id);
}
