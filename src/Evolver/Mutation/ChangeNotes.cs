using System.Globalization;
using System.Text.RegularExpressions;
using DiffPlex;
using DiffPlex.Chunkers;

namespace EvoCode.Evolver.Mutation;

/// <summary>
/// A child's change note: one line on what changed against its parent. Replies are asked for a short name and a
/// one-line description (ShinkaEvolve's <c>&lt;NAME&gt;</c>/<c>&lt;DESCRIPTION&gt;</c>); they are read tolerantly
/// (tags in any case, an unclosed tag, or "Name:" / "Description:" lines). A reply that gives neither, and every
/// built-in operator, gets a note derived from the line diff, so every child has one.
/// </summary>
public static partial class ChangeNotes
{
    /// <summary>Characters a note keeps at most (the stored column's length).</summary>
    public const int MaxLength = 300;

    private const int MaxNameLength = 60;

    /// <summary>The note a reply gives ("name: description"), or <c>null</c> when it gives neither.</summary>
    public static string? FromReply(string? reply)
    {
        if (string.IsNullOrWhiteSpace(reply))
        {
            return null;
        }

        var name = Field(reply, "NAME");
        var description = Field(reply, "DESCRIPTION");
        if (name is not null && name.Length > MaxNameLength)
        {
            name = name[..MaxNameLength].TrimEnd();
        }

        var note = (name, description) switch
        {
            (null, null) => null,
            ({ } n, null) => n,
            (null, { } d) => d,
            ({ } n, { } d) => $"{n}: {d}",
        };
        return note is null ? null : Bound(note);
    }

    /// <summary>The proposal's own note, else one derived from the diff against <paramref name="parentSource"/>.</summary>
    public static string For(Proposal proposal, string parentSource)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        return proposal.ChangeNote ?? Derive(proposal.Operator, parentSource, proposal.Source ?? parentSource);
    }

    /// <summary>"diff: 2 lines changed (+1 -1), first: `double x = 1.5;`", from the line diff of the two programs.</summary>
    public static string Derive(string operatorName, string parentSource, string childSource)
    {
        ArgumentNullException.ThrowIfNull(parentSource);
        ArgumentNullException.ThrowIfNull(childSource);
        var diff = Differ.Instance.CreateDiffs(parentSource, childSource, ignoreWhiteSpace: true, ignoreCase: false, LineChunker.Instance);
        var added = diff.DiffBlocks.Sum(b => b.InsertCountB);
        var removed = diff.DiffBlocks.Sum(b => b.DeleteCountA);
        if (added == 0 && removed == 0)
        {
            return $"{operatorName}: whitespace or layout only";
        }

        // The first changed line of the child says most about the change; a pure deletion shows what went.
        var first = diff.DiffBlocks
            .SelectMany(b => b.InsertCountB > 0 ? diff.PiecesNew.Skip(b.InsertStartB).Take(b.InsertCountB) : diff.PiecesOld.Skip(b.DeleteStartA).Take(b.DeleteCountA))
            .Select(l => l.Trim())
            .FirstOrDefault(l => l.Length > 0) ?? "";
        var verb = added > 0 ? "first" : "removed";
        var lines = Math.Max(added, removed);
        var text = string.Create(CultureInfo.InvariantCulture, $"{operatorName}: {lines} line{(lines == 1 ? "" : "s")} changed (+{added} -{removed})");
        return Bound(first.Length == 0 ? text : $"{text}, {verb}: `{Shorten(first, 100)}`");
    }

    /// <summary>One line of at most <see cref="MaxLength"/> characters.</summary>
    public static string Bound(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Shorten(Whitespace().Replace(text, " ").Trim(), MaxLength);
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)].TrimEnd() + "…";

    private static string? Field(string reply, string tag)
    {
        // <NAME>x</NAME>, <name>x (unclosed, to the end of the line), or a "Name: x" / "**Description:** x" line.
        var match = Tagged().Matches(reply).FirstOrDefault(m => string.Equals(m.Groups["tag"].Value, tag, StringComparison.OrdinalIgnoreCase))
            ?? Labelled().Matches(reply).FirstOrDefault(m => string.Equals(m.Groups["tag"].Value, tag, StringComparison.OrdinalIgnoreCase));
        var value = match?.Groups["value"].Value.Trim().Trim('*', '`', '"', '\'').Trim();
        return string.IsNullOrWhiteSpace(value) ? null : Whitespace().Replace(value, " ");
    }

    [GeneratedRegex(@"<(?<tag>name|description)>(?<value>.*?)(?:</\k<tag>>|(?=<[a-z/]+>)|\n\s*\n|$)", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Tagged();

    [GeneratedRegex(@"^[ \t#>*-]*\**(?<tag>name|description)\**[ \t]*[:：]\**[ \t]*(?<value>[^\r\n]+)", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Labelled();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Whitespace();
}
