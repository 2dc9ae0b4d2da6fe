namespace EvoCode.Evolver.Search;

/// <summary>
/// The in-memory view of one island's MAP-Elites grid: the cells, their elites ranked by score, how many
/// children each elite has had (proposals in flight included), when each elite took its cell, and the island's
/// population of recent correct programs (OpenEvolve's islands), which parents may also come from. The database
/// decides who wins a cell; this view only mirrors the winners so selection costs O(log n) instead of a query.
/// </summary>
public sealed class IslandArchive(int island, int populationSize = 0)
{
    private readonly Queue<Elite> _population = new();
    private readonly Dictionary<Guid, int> _inFlight = [];
    private readonly Dictionary<Guid, long> _placedAt = [];
    private double? _mad;

    private readonly Dictionary<string, int> _slotByCell = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, int> _slotById = [];
    private readonly List<Elite> _slots = [];
    private readonly EliteRanking _ranking = new();
    private readonly Dictionary<string, int> _hashes = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, int> _children = [];

    public int Island { get; } = island;

    /// <summary>The cells' fronts of a run with several objectives (empty otherwise).</summary>
    public CellFronts Fronts { get; } = new();

    public int Count => _slots.Count;

    /// <summary>Elites in slot order (stable: a cell keeps its slot when its elite changes).</summary>
    public IReadOnlyList<Elite> Elites => _slots;

    public Elite? this[string cellKey] => _slotByCell.TryGetValue(cellKey, out var slot) ? _slots[slot] : null;

    /// <summary>Recent correct programs of the island, oldest first (at most the population size).</summary>
    public IReadOnlyCollection<Elite> Population => _population;

    /// <summary>Evaluations at which the island's best last improved (or the island was restarted).</summary>
    public long BestImprovedAt { get; set; }

    /// <summary>Remembers a correct program of the island; the oldest leaves when the population is full.</summary>
    public void Remember(Elite program)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (populationSize <= 0)
        {
            return;
        }

        _population.Enqueue(program);
        while (_population.Count > populationSize)
        {
            _population.Dequeue();
        }
    }

    /// <summary>Mirrors a placement the database accepted, made when the run had <paramref name="evaluations"/> evaluations.</summary>
    public void Place(Elite elite, long evaluations)
    {
        Place(elite);
        _placedAt[elite.Id] = evaluations;
    }

    /// <summary>
    /// Whether <paramref name="score"/> may replace the cell's elite by a neutral move: it ties the elite, which
    /// has held the cell for at least <paramref name="age"/> evaluations (so plateaus can be crossed, slowly).
    /// </summary>
    public bool AcceptsNeutral(string cellKey, double score, long evaluations, int? age) =>
        age is { } minimum && this[cellKey] is { } incumbent && score == incumbent.Score
        && evaluations - _placedAt.GetValueOrDefault(incumbent.Id, evaluations) >= minimum;

    /// <summary>After a resume: elites whose placement time is unknown count as placed at <paramref name="evaluations"/>.</summary>
    public void MarkPlaced(long evaluations)
    {
        foreach (var elite in _slots)
        {
            _placedAt.TryAdd(elite.Id, evaluations);
        }
    }

    /// <summary>Forgets every elite and the population: the island is restarted (the store's cells are cleared with it).</summary>
    public void Clear(long evaluations)
    {
        _slotByCell.Clear();
        _slotById.Clear();
        _slots.Clear();
        _hashes.Clear();
        _placedAt.Clear();
        _population.Clear();
        Fronts.Clear();
        while (_ranking.Count > 0)
        {
            var top = _ranking.ByRank(0);
            _ranking.Remove(top.Id, top.Score);
        }

        _mad = null;
        BestImprovedAt = evaluations;
    }

    /// <summary>The median absolute deviation of the elite scores from their median, cached until the elites change (ShinkaEvolve's scale).</summary>
    public double MedianAbsoluteDeviation
    {
        get
        {
            if (_mad is { } known)
            {
                return known;
            }

            var median = MedianScore;
            var deviations = _slots.Select(e => Math.Abs(e.Score - median)).Order().ToList();
            _mad = deviations.Count == 0 ? 0 : deviations[deviations.Count / 2];
            return _mad.Value;
        }
    }

    /// <summary>Mirrors a placement the database accepted.</summary>
    public void Place(Elite elite)
    {
        ArgumentNullException.ThrowIfNull(elite);
        _mad = null;
        if (_slotByCell.TryGetValue(elite.CellKey, out var slot))
        {
            var old = _slots[slot];
            _ranking.Remove(old.Id, old.Score);
            _slotById.Remove(old.Id);
            ForgetHash(old.CodeHash);
            _placedAt.Remove(old.Id);
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

    /// <summary>Children evaluated plus proposals still in flight, so concurrent slots do not pile onto one parent.</summary>
    public int ChildrenOf(Guid id) => _children.GetValueOrDefault(id) + _inFlight.GetValueOrDefault(id);

    /// <summary>Counts an evaluated child; it is no longer in flight.</summary>
    public void CountChild(Guid parentId)
    {
        _children[parentId] = _children.GetValueOrDefault(parentId) + 1;
        EndProposal(parentId);
    }

    /// <summary>A proposal from <paramref name="parentId"/> is under way.</summary>
    public void StartProposal(Guid parentId) => _inFlight[parentId] = _inFlight.GetValueOrDefault(parentId) + 1;

    /// <summary>A proposal from <paramref name="parentId"/> was evaluated or gave up.</summary>
    public void EndProposal(Guid parentId)
    {
        if (_inFlight.TryGetValue(parentId, out var count))
        {
            if (count > 1)
            {
                _inFlight[parentId] = count - 1;
            }
            else
            {
                _inFlight.Remove(parentId);
            }
        }
    }

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
