namespace EvoCode.Evolver.Search;

/// <summary>
/// Elites ordered by score, with insert, remove, k-th best and rank lookups in O(log n): a treap with subtree
/// sizes. Selection by rank (power-law), the median and the best all come from here, so choosing a parent
/// never walks the whole archive.
/// </summary>
internal sealed class EliteRanking
{
    private readonly Random _priorities = new RunRandom(17);

    // When each elite arrived: equal scores are ordered by arrival, which a lockstep run repeats exactly (program ids
    // are random, so ordering ties by id made the parent drawn at a rank differ between two runs of one seed).
    private readonly Dictionary<Guid, long> _arrivals = [];
    private long _nextArrival;
    private Node? _root;

    public int Count => Size(_root);

    public void Add(Guid id, double score)
    {
        var arrival = _nextArrival++;
        _arrivals[id] = arrival;
        _root = Insert(_root, new Node(id, score, arrival, _priorities.NextDouble()));
    }

    public bool Remove(Guid id, double score)
    {
        if (!_arrivals.Remove(id, out var arrival))
        {
            return false;
        }

        var before = Count;
        _root = Delete(_root, arrival, score);
        return Count < before;
    }

    /// <summary>The elite of rank <paramref name="rank"/>: 0 is the best.</summary>
    public (Guid Id, double Score) ByRank(int rank)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, Count);
        var node = _root!;
        while (true)
        {
            var better = Size(node.Better);
            if (rank < better)
            {
                node = node.Better!;
            }
            else if (rank == better)
            {
                return (node.Id, node.Score);
            }
            else
            {
                rank -= better + 1;
                node = node.Worse!;
            }
        }
    }

    public IEnumerable<(Guid Id, double Score)> Top(int count)
    {
        for (var i = 0; i < Math.Min(count, Count); i++)
        {
            yield return ByRank(i);
        }
    }

    // Order: higher score first; ties broken by arrival (the earlier first) so every element has one place.
    private static int Compare(double scoreA, long arrivalA, double scoreB, long arrivalB)
    {
        var byScore = scoreB.CompareTo(scoreA);
        return byScore != 0 ? byScore : arrivalA.CompareTo(arrivalB);
    }

    private static int Size(Node? node) => node?.Size ?? 0;

    private static Node Insert(Node? node, Node item)
    {
        if (node is null)
        {
            return item;
        }

        if (Compare(item.Score, item.Arrival, node.Score, node.Arrival) < 0)
        {
            node.Better = Insert(node.Better, item);
            if (node.Better.Priority > node.Priority)
            {
                node = RotateRight(node);
            }
        }
        else
        {
            node.Worse = Insert(node.Worse, item);
            if (node.Worse.Priority > node.Priority)
            {
                node = RotateLeft(node);
            }
        }

        node.Update();
        return node;
    }

    private static Node? Delete(Node? node, long arrival, double score)
    {
        if (node is null)
        {
            return null;
        }

        var order = Compare(score, arrival, node.Score, node.Arrival);
        if (order < 0)
        {
            node.Better = Delete(node.Better, arrival, score);
        }
        else if (order > 0)
        {
            node.Worse = Delete(node.Worse, arrival, score);
        }
        else
        {
            return Merge(node.Better, node.Worse);
        }

        node.Update();
        return node;
    }

    private static Node? Merge(Node? better, Node? worse)
    {
        if (better is null)
        {
            return worse;
        }

        if (worse is null)
        {
            return better;
        }

        if (better.Priority > worse.Priority)
        {
            better.Worse = Merge(better.Worse, worse);
            better.Update();
            return better;
        }

        worse.Better = Merge(better, worse.Better);
        worse.Update();
        return worse;
    }

    private static Node RotateRight(Node node)
    {
        var pivot = node.Better!;
        node.Better = pivot.Worse;
        pivot.Worse = node;
        node.Update();
        pivot.Update();
        return pivot;
    }

    private static Node RotateLeft(Node node)
    {
        var pivot = node.Worse!;
        node.Worse = pivot.Better;
        pivot.Better = node;
        node.Update();
        pivot.Update();
        return pivot;
    }

    private sealed class Node(Guid id, double score, long arrival, double priority)
    {
        public Guid Id { get; } = id;

        public double Score { get; } = score;

        public long Arrival { get; } = arrival;

        public double Priority { get; } = priority;

        public Node? Better { get; set; }

        public Node? Worse { get; set; }

        public int Size { get; private set; } = 1;

        public void Update() => Size = 1 + (Better?.Size ?? 0) + (Worse?.Size ?? 0);
    }
}
