namespace EvoCode.Evolver.Search;

/// <summary>A program on a cell's front: the elite-like handle, its place in the run's order, and its objective vector oriented so higher is better.</summary>
/// <param name="Program">The program.</param>
/// <param name="Sequence">Its sequence in the run: members are kept in this order, so decisions repeat on resume.</param>
/// <param name="Values">Its objective values, each negated when the objective is minimized.</param>
public sealed record FrontPoint(Elite Program, long Sequence, IReadOnlyList<double> Values);

/// <summary>What offering a program to its cell's front does: whether it enters, and which members leave.</summary>
/// <param name="CellKey">The cell.</param>
/// <param name="Newcomer">The program offered.</param>
/// <param name="Enters">Whether it becomes a member.</param>
/// <param name="Leaving">Members it dominates, or the most crowded one when the front is over its bound.</param>
public sealed record FrontChange(string CellKey, FrontPoint Newcomer, bool Enters, IReadOnlyList<FrontPoint> Leaving);

/// <summary>
/// One island's fronts, one per MAP-Elites cell, in a run with several objectives (ADR-024): each a bounded set of
/// mutually non-dominated programs. A newcomer enters when no member dominates it, and the members it dominates
/// leave; over the bound, the member with the smallest crowding distance leaves (the newest of equals, so incumbents
/// stay). Offers are planned first (<see cref="Plan"/>) and applied once the store took them (<see cref="Apply"/>).
/// Pareto rank and crowding over all the island's members, for selection, are cached until a front changes.
/// </summary>
public sealed class CellFronts
{
    private readonly Dictionary<string, List<FrontPoint>> _fronts = new(StringComparer.Ordinal);
    private readonly List<FrontPoint> _members = [];
    private (int[] Ranks, double[] Crowding)? _order;

    /// <summary>Every member of the island's fronts, cell by cell in arrival of the cell, each front in sequence order.</summary>
    public IReadOnlyList<FrontPoint> Members
    {
        get
        {
            if (_members.Count == 0 && _fronts.Count > 0)
            {
                _members.AddRange(_fronts.Values.SelectMany(f => f));
            }

            return _members;
        }
    }

    public IReadOnlyList<FrontPoint> this[string cellKey] => _fronts.TryGetValue(cellKey, out var front) ? front : [];

    /// <summary>The cells that have a front.</summary>
    public IEnumerable<string> Cells => _fronts.Keys;

    /// <summary>What offering <paramref name="newcomer"/> to the front of <paramref name="cellKey"/> would do, with fronts of at most <paramref name="bound"/> members.</summary>
    public FrontChange Plan(string cellKey, FrontPoint newcomer, int bound)
    {
        ArgumentNullException.ThrowIfNull(newcomer);
        ArgumentOutOfRangeException.ThrowIfLessThan(bound, 1);
        var front = this[cellKey];
        if (front.Any(m => Pareto.Dominates(m.Values, newcomer.Values)))
        {
            return new FrontChange(cellKey, newcomer, false, []);
        }

        var leaving = front.Where(m => Pareto.Dominates(newcomer.Values, m.Values)).ToList();
        var kept = front.Except(leaving).Append(newcomer).ToList();
        if (kept.Count <= bound)
        {
            return new FrontChange(cellKey, newcomer, true, leaving);
        }

        // Over the bound (nothing was dominated, so exactly one too many): the most crowded leaves, the newest of equals.
        var crowding = Pareto.Crowding([.. kept.Select(m => m.Values)]);
        var leaver = Enumerable.Range(0, kept.Count).OrderBy(i => crowding[i]).ThenByDescending(i => kept[i].Sequence).First();
        return kept[leaver] == newcomer
            ? new FrontChange(cellKey, newcomer, false, [])
            : new FrontChange(cellKey, newcomer, true, [.. leaving, kept[leaver]]);
    }

    /// <summary>Applies a planned change the store accepted.</summary>
    public void Apply(FrontChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (!change.Enters)
        {
            return;
        }

        if (!_fronts.TryGetValue(change.CellKey, out var front))
        {
            _fronts[change.CellKey] = front = [];
        }

        var leaving = change.Leaving.Select(m => m.Program.Id).ToHashSet();
        front.RemoveAll(m => leaving.Contains(m.Program.Id));
        front.Add(change.Newcomer);
        front.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        Changed();
    }

    /// <summary>Puts back a stored member (on resume); members may come in any order.</summary>
    public void Restore(string cellKey, FrontPoint member)
    {
        ArgumentNullException.ThrowIfNull(member);
        Apply(new FrontChange(cellKey, member, true, []));
    }

    public void Clear()
    {
        _fronts.Clear();
        Changed();
    }

    /// <summary>The Pareto rank (0 best) and the crowding distance within its rank of each of <see cref="Members"/>.</summary>
    public (int[] Ranks, double[] Crowding) Order()
    {
        if (_order is { } cached)
        {
            return cached;
        }

        var members = Members;
        var ranks = Pareto.Ranks([.. members.Select(m => m.Values)]);
        var crowding = new double[members.Count];
        foreach (var rank in ranks.Distinct())
        {
            var indexes = Enumerable.Range(0, members.Count).Where(i => ranks[i] == rank).ToList();
            var distances = Pareto.Crowding([.. indexes.Select(i => members[i].Values)]);
            for (var k = 0; k < indexes.Count; k++)
            {
                crowding[indexes[k]] = distances[k];
            }
        }

        _order = (ranks, crowding);
        return _order.Value;
    }

    private void Changed()
    {
        _members.Clear();
        _order = null;
    }
}
