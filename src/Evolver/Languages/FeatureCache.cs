namespace EvoCode.Evolver.Languages;

/// <summary>
/// Code features measured on the parse a fingerprint already made, kept by source until the commit asks for them
/// (bounded: the oldest go first; a source asked for after it left is parsed again).
/// </summary>
internal sealed class FeatureCache(int capacity)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Dictionary<string, double>> _bySource = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public void Keep(string source, Dictionary<string, double> features)
    {
        lock (_lock)
        {
            if (_bySource.TryAdd(source, features))
            {
                _order.Enqueue(source);
                while (_order.Count > capacity && _order.TryDequeue(out var oldest))
                {
                    _bySource.Remove(oldest);
                }
            }
        }
    }

    /// <summary>The features kept for <paramref name="source"/>, or null. They stay kept: parents are measured again and again.</summary>
    public Dictionary<string, double>? Find(string source)
    {
        lock (_lock)
        {
            // A copy: callers add to what they are given, and a kept measure must stay what was measured.
            return _bySource.GetValueOrDefault(source) is { } kept ? new Dictionary<string, double>(kept, StringComparer.Ordinal) : null;
        }
    }
}
