using EvoCode.Evolver.Search;

namespace EvoCode.Evolver.Engine;

/// <summary>The parents of one proposal slot: a parent, a second parent for crossover, inspirations, and the slot's random stream.</summary>
internal sealed record SelectedParents(Elite Parent, Elite? Second, IReadOnlyList<Elite> Inspirations, Random Random);

/// <summary>
/// Parent sampling: islands in round robin, the run's selection strategy within an island (over its elites and
/// its population). A drawn parent counts a child in flight until the child is evaluated or the slot gives up.
/// </summary>
internal sealed class ParentSampling(RunState state)
{
    private readonly ParentSelector _selector = new(
        ParentSelector.Parse(state.Settings.ParentSelection), state.Settings.ExploitRatio, state.Settings.PowerLawAlpha, populationShare: state.Settings.PopulationShare);
    private int _nextIsland;

    /// <summary>Under the run's lock: island (round robin), parent, a second parent for crossover, inspirations, and a child random source.</summary>
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
        var inspirations = _selector.SelectInspirations(island, parent, state.Settings.Inspirations, state.Random);
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
        return new SelectedParents(parent, second, inspirations, childRandom);
    }

    /// <summary>Under the run's lock: the slot of <paramref name="selected"/> stored no child, so its parent has one proposal less in flight.</summary>
    public void Release(SelectedParents selected) => state.Islands[selected.Parent.Island].EndProposal(selected.Parent.Id);
}
