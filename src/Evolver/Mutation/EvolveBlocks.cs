using EvoCode.Evolver.Languages;

namespace EvoCode.Evolver.Mutation;

/// <summary>
/// The editable regions of a program: the text between a line holding the language's line comment followed by
/// <c>EVOLVE-BLOCK-START</c> (<c>// EVOLVE-BLOCK-START</c> in C#, <c># EVOLVE-BLOCK-START</c> in Python) and the
/// next line holding the comment and <c>EVOLVE-BLOCK-END</c>. Code outside them never changes.
/// </summary>
public sealed class EvolveBlocks
{
    /// <summary>The start marker's text after the comment prefix.</summary>
    public const string StartText = "EVOLVE-BLOCK-START";

    /// <summary>The end marker's text after the comment prefix.</summary>
    public const string EndText = "EVOLVE-BLOCK-END";

    private readonly string _source;
    private readonly IProgramLanguage _language;

    private EvolveBlocks(string source, IProgramLanguage language, IReadOnlyList<Range> blocks)
    {
        _source = source;
        _language = language;
        Blocks = blocks;
    }

    /// <summary>The start marker line of <paramref name="language"/>, such as "# EVOLVE-BLOCK-START".</summary>
    public static string StartMarker(IProgramLanguage language)
    {
        ArgumentNullException.ThrowIfNull(language);
        return $"{language.CommentPrefix} {StartText}";
    }

    /// <summary>The end marker line of <paramref name="language"/>, such as "# EVOLVE-BLOCK-END".</summary>
    public static string EndMarker(IProgramLanguage language)
    {
        ArgumentNullException.ThrowIfNull(language);
        return $"{language.CommentPrefix} {EndText}";
    }

    /// <summary>Character ranges of each block's body (between the marker lines, without them).</summary>
    public IReadOnlyList<Range> Blocks { get; }

    /// <summary>The body of block <paramref name="index"/>.</summary>
    public string this[int index] => _source[Blocks[index]];

    /// <summary>Finds the blocks, or says why the markers are malformed.</summary>
    public static bool TryParse(string source, IProgramLanguage language, out EvolveBlocks blocks, out string? error)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(language);
        var ranges = new List<Range>();
        var position = 0;
        int? openBody = null;
        error = null;
        while (position <= source.Length)
        {
            var lineEnd = source.IndexOf('\n', position);
            var next = lineEnd < 0 ? source.Length + 1 : lineEnd + 1;
            var line = source.AsSpan(position, (lineEnd < 0 ? source.Length : lineEnd) - position);
            var marker = Marker(line, language.CommentPrefix);
            if (marker == StartText)
            {
                if (openBody is not null)
                {
                    error = "An EVOLVE-BLOCK-START appears inside another block; blocks cannot nest.";
                    break;
                }

                openBody = Math.Min(next, source.Length);
            }
            else if (marker == EndText)
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
            error = $"The program has no evolve block: mark the editable region with '{StartMarker(language)}' and '{EndMarker(language)}' lines ({language.DisplayName} comments).";
        }

        blocks = new EvolveBlocks(source, language, error is null ? ranges : []);
        return error is null;
    }

    /// <summary>"EVOLVE-BLOCK-START" or "EVOLVE-BLOCK-END" when the line's comment holds that marker, else <c>null</c>.</summary>
    private static string? Marker(ReadOnlySpan<char> line, string commentPrefix)
    {
        // Every occurrence counts: an earlier one may sit inside a string ("http://...").
        for (var at = line.IndexOf(commentPrefix, StringComparison.Ordinal); at >= 0;)
        {
            var rest = line[(at + commentPrefix.Length)..];
            var text = rest.TrimStart();
            if (text.StartsWith(StartText, StringComparison.Ordinal))
            {
                return StartText;
            }

            if (text.StartsWith(EndText, StringComparison.Ordinal))
            {
                return EndText;
            }

            var next = rest.IndexOf(commentPrefix, StringComparison.Ordinal);
            at = next < 0 ? -1 : at + commentPrefix.Length + next;
        }

        return null;
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
        TryParse(child, _language, out var other, out _) && FrozenParts().SequenceEqual(other.FrozenParts(), StringComparer.Ordinal);
}
