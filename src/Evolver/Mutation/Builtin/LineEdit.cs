namespace EvoCode.Evolver.Mutation.Builtin;

/// <summary>What a <see cref="LineEdit"/> does to a line inside an evolve block.</summary>
public enum LineEditKind
{
    /// <summary>Repeat a statement line right after itself.</summary>
    Duplicate,

    /// <summary>Remove a statement line.</summary>
    Delete,

    /// <summary>Swap a statement line with the next one at the same indentation.</summary>
    SwapWithNext,
}

/// <summary>
/// Duplicates, deletes or reorders one line inside the evolve blocks of a program in any language. Only lines
/// that look like whole simple statements are touched: never blank or comment lines, block headers or closers
/// (lines ending in ':', '{', '(', '[', ',' or '\' and lines opening with a closing bracket) or returns, so most
/// children still parse; the language's screen catches the rest before an evaluation is spent.
/// </summary>
public sealed class LineEdit(LineEditKind kind) : TextEditOperator
{
    public override string Name => kind switch
    {
        LineEditKind.Duplicate => "duplicate-line",
        LineEditKind.Delete => "delete-line",
        _ => "swap-lines",
    };

    protected override TextEdit? Edit(string source, EvolveBlocks blocks, MutationRequest request)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(blocks);
        ArgumentNullException.ThrowIfNull(request);
        var comment = request.Language.CommentPrefix;
        var choices = new List<TextEdit>();
        foreach (var block in blocks.Blocks)
        {
            var lines = Lines(source, block.Start.Value, block.End.Value);
            for (var i = 0; i < lines.Count; i++)
            {
                var (start, length) = lines[i];
                var text = source.Substring(start, length);
                if (!IsStatement(text, comment))
                {
                    continue;
                }

                switch (kind)
                {
                    case LineEditKind.Duplicate:
                        choices.Add(new TextEdit(start + length, 0, text));
                        break;
                    case LineEditKind.Delete:
                        choices.Add(new TextEdit(start, length, string.Empty));
                        break;
                    default:
                        if (i + 1 < lines.Count && source.Substring(lines[i + 1].Start, lines[i + 1].Length) is var next
                            && IsStatement(next, comment) && Indentation(next) == Indentation(text) && next != text)
                        {
                            choices.Add(new TextEdit(start, length + lines[i + 1].Length, next + text));
                        }

                        break;
                }
            }
        }

        return choices.Count == 0 ? null : choices[request.Random.Next(choices.Count)];
    }

    /// <summary>The lines of [from, to), each with its line break.</summary>
    private static List<(int Start, int Length)> Lines(string source, int from, int to)
    {
        var lines = new List<(int, int)>();
        var position = from;
        while (position < to)
        {
            var end = source.IndexOf('\n', position, to - position);
            var next = end < 0 ? to : end + 1;
            lines.Add((position, next - position));
            position = next;
        }

        return lines;
    }

    private static bool IsStatement(string line, string comment)
    {
        var text = line.Trim();
        if (text.Length == 0 || text.StartsWith(comment, StringComparison.Ordinal) || !line.EndsWith('\n')
            || text.StartsWith("return", StringComparison.Ordinal) || text.Contains("EVOLVE-BLOCK", StringComparison.Ordinal))
        {
            return false;
        }

        var commentAt = text.IndexOf(comment, StringComparison.Ordinal);
        var code = (commentAt > 0 ? text[..commentAt] : text).TrimEnd();
        return code.Length > 0 && code[^1] is not (':' or '{' or '(' or '[' or ',' or '\\') && code[0] is not ('}' or ')' or ']' or '@');
    }

    private static string Indentation(string line) => line[..(line.Length - line.TrimStart().Length)];
}
