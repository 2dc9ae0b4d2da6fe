using System.Security.Cryptography;
using System.Text;
using EvoCode.Evaluators.Contract;

namespace EvoCode.Sandbox.Pool;

/// <summary>
/// Compile verdicts kept by the pool, keyed by a hash of the source and the workers' reference set: a program is
/// compiled once (by the screen, usually), and its later checks and runs reuse the verdict and the emitted image.
/// Least recently used entries go first. See <c>docs/decisions/ADR-018-compile-once.md</c>.
/// </summary>
internal sealed class CompileCache(int capacity)
{
    /// <summary>Images above this are not kept (they would swell every run request that carries them).</summary>
    public const int MaxImageBytes = 1024 * 1024;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _order = new();

    /// <summary>Entries held now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>The key of <paramref name="source"/> compiled against <paramref name="referenceSet"/>.</summary>
    public static string KeyOf(string referenceSet, string source) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(referenceSet + "\n" + source)));

    public Entry? Find(string? referenceSet, string source)
    {
        if (capacity == 0 || referenceSet is null)
        {
            return null;
        }

        var key = KeyOf(referenceSet, source);
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var node))
            {
                return null;
            }

            _order.Remove(node);
            _order.AddFirst(node);
            return node.Value;
        }
    }

    /// <summary>
    /// Keeps a finished compile's verdict (an Ok verdict only with its image) and says how many compiles of this
    /// source it knows of, this one included (1 when nothing could be kept).
    /// </summary>
    public int Keep(string? referenceSet, string source, RunOutcome outcome, IReadOnlyList<SourceDiagnostic> diagnostics, byte[]? image)
    {
        if (capacity == 0 || referenceSet is null || outcome is not (RunOutcome.Ok or RunOutcome.CompileError or RunOutcome.PolicyViolation)
            || (outcome == RunOutcome.Ok && image is not { Length: > 0 and <= MaxImageBytes }))
        {
            return 1;
        }

        var key = KeyOf(referenceSet, source);
        var entry = new Entry(key, referenceSet, outcome, diagnostics, outcome == RunOutcome.Ok ? image : null, image is null ? null : Convert.ToHexString(SHA256.HashData(image)));
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var old))
            {
                // Compiled again (two callers at once missed the same source): the count goes on.
                _order.Remove(old);
                entry = entry with { Compiles = old.Value.Compiles + 1 };
            }

            _entries[key] = _order.AddFirst(entry);
            while (_entries.Count > capacity)
            {
                var last = _order.Last!;
                _order.RemoveLast();
                _entries.Remove(last.Value.Key);
            }

            return entry.Compiles;
        }
    }

    /// <summary>A kept verdict: the outcome and diagnostics of the compile, the image when it passed, and the compiles of the source so far.</summary>
    internal sealed record Entry(string Key, string ReferenceSet, RunOutcome Outcome, IReadOnlyList<SourceDiagnostic> Diagnostics, byte[]? Image, string? ImageSha256, int Compiles = 1);
}
