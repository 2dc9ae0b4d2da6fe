namespace EvoCode.Evolver.Search;

/// <summary>
/// The in-memory view of one island's MAP-Elites grid: the cells, their elites ranked by score, and how many
/// children each elite has had. The database decides who wins a cell; this view only mirrors the winners so
/// selection costs O(log n) instead of a query or a scan.
/// </summary>
public sealed class IslandArchive(int island)
{
    private readonly Dictionary<string, int> _slotByCell = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, int> _slotById = [];
    private readonly List<Elite> _slots = [];
    private readonly EliteRanking _ranking = new();
    private readonly Dictionary<string, int> _hashes = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, int> _children = [];

    public int Island { get; } = island;

    public int Count => _slots.Count;

    /// <summary>Elites in slot order (stable: a cell keeps its slot when its elite changes).</summary>
    public IReadOnlyList<Elite> Elites => _slots;

    public Elite? this[string cellKey] => _slotByCell.TryGetValue(cellKey, out var slot) ? _slots[slot] : null;

    /// <summary>Mirrors a placement the database accepted.</summary>
    public void Place(Elite elite)
    {
        ArgumentNullException.ThrowIfNull(elite);
        if (_slotByCell.TryGetValue(elite.CellKey, out var slot))
        {
            var old = _slots[slot];
            _ranking.Remove(old.Id, old.Score);
            _slotById.Remove(old.Id);
            ForgetHash(old.CodeHash);
            _slots[slot] = elite;
        }
        else
        {
            slot = _slots.Count;
            _slotByCell[elite.CellKey] = slot;
            _slots.Add(elite);
        }

        _slotById[elite.Id] = slot;
        _ranking.Add(elite.Id, elite.Score);
        _hashes[elite.CodeHash] = _hashes.GetValueOrDefault(elite.CodeHash) + 1;
    }

    /// <summary>Whether the cell is empty or <paramref name="score"/> beats its elite (strict improvement).</summary>
    public bool WouldImprove(string cellKey, double score) => this[cellKey] is not { } incumbent || score > incumbent.Score;

    public bool HoldsCode(string codeHash) => _hashes.ContainsKey(codeHash);

    public bool Contains(Guid id) => _slotById.ContainsKey(id);

    public Elite Best => ByRank(0);

    /// <summary>The elite of rank <paramref name="rank"/>, 0 being the best, in O(log n).</summary>
    public Elite ByRank(int rank) => _slots[_slotById[_ranking.ByRank(rank).Id]];

    public IEnumerable<Elite> Top(int count) => _ranking.Top(count).Select(e => _slots[_slotById[e.Id]]);

    /// <summary>The median elite score, in O(log n).</summary>
    public double MedianScore => Count == 0 ? double.NaN : _ranking.ByRank(Count / 2).Score;

    public int ChildrenOf(Guid id) => _children.GetValueOrDefault(id);

    public void CountChild(Guid parentId) => _children[parentId] = _children.GetValueOrDefault(parentId) + 1;

    private void ForgetHash(string hash)
    {
        if (_hashes.TryGetValue(hash, out var count) && count > 1)
        {
            _hashes[hash] = count - 1;
        }
        else
        {
            _hashes.Remove(hash);
        }
    }
}
