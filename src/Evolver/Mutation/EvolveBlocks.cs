namespace EvoCode.Evolver.Mutation;

/// <summary>
/// The editable regions of a program: the text between a line holding <c>// EVOLVE-BLOCK-START</c>
/// and the next line holding <c>// EVOLVE-BLOCK-END</c>. Code outside them never changes.
/// </summary>
public sealed class EvolveBlocks
{
    /// <summary>The start marker.</summary>
    public const string StartMarker = "// EVOLVE-BLOCK-START";

    /// <summary>The end marker.</summary>
    public const string EndMarker = "// EVOLVE-BLOCK-END";

    private readonly string _source;

    private EvolveBlocks(string source, IReadOnlyList<Range> blocks)
    {
        _source = source;
        Blocks = blocks;
    }

    /// <summary>Character ranges of each block's body (between the marker lines, without them).</summary>
    public IReadOnlyList<Range> Blocks { get; }

    /// <summary>The body of block <paramref name="index"/>.</summary>
    public string this[int index] => _source[Blocks[index]];

    /// <summary>Finds the blocks, or says why the markers are malformed.</summary>
    public static bool TryParse(string source, out EvolveBlocks blocks, out string? error)
    {
        ArgumentNullException.ThrowIfNull(source);
        var ranges = new List<Range>();
        var position = 0;
        int? openBody = null;
        error = null;
        while (position <= source.Length)
        {
            var lineEnd = source.IndexOf('\n', position);
            var next = lineEnd < 0 ? source.Length + 1 : lineEnd + 1;
            var line = source.AsSpan(position, (lineEnd < 0 ? source.Length : lineEnd) - position);
            if (line.Contains(StartMarker, StringComparison.Ordinal))
            {
                if (openBody is not null)
                {
                    error = "An EVOLVE-BLOCK-START appears inside another block; blocks cannot nest.";
                    break;
                }

                openBody = Math.Min(next, source.Length);
            }
            else if (line.Contains(EndMarker, StringComparison.Ordinal))
            {
                if (openBody is null)
                {
                    error = "An EVOLVE-BLOCK-END appears without a matching EVOLVE-BLOCK-START.";
                    break;
                }

                ranges.Add(new Range(openBody.Value, position));
                openBody = null;
            }

            position = next;
        }

        if (error is null && openBody is not null)
        {
            error = "An EVOLVE-BLOCK-START has no matching EVOLVE-BLOCK-END.";
        }

        if (error is null && ranges.Count == 0)
        {
            error = $"The program has no evolve block: mark the editable region with '{StartMarker}' and '{EndMarker}' lines.";
        }

        blocks = new EvolveBlocks(source, error is null ? ranges : []);
        return error is null;
    }

    /// <summary>Returns the source with block <paramref name="index"/>'s body replaced.</summary>
    public string Replace(int index, string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var range = Blocks[index];
        if (body.Length > 0 && !body.EndsWith('\n'))
        {
            body += "\n";
        }

        return string.Concat(_source.AsSpan(0, range.Start.Value), body, _source.AsSpan(range.End.Value));
    }

    /// <summary>The parts outside every block, in order; two programs with equal frozen parts differ only inside blocks.</summary>
    public IEnumerable<string> FrozenParts()
    {
        var start = 0;
        foreach (var block in Blocks)
        {
            yield return _source[start..block.Start.Value];
            start = block.End.Value;
        }

        yield return _source[start..];
    }

    /// <summary>Whether <paramref name="child"/> keeps every line outside the blocks of this program exactly.</summary>
    public bool FrozenPartsMatch(string child) =>
        TryParse(child, out var other, out _) && FrozenParts().SequenceEqual(other.FrozenParts(), StringComparer.Ordinal);
}
