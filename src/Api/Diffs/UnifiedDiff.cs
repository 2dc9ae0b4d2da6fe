using System.Text;

namespace EvoCode.Api.Diffs;

/// <summary>
/// A line-based unified diff (three lines of context), enough to show what a child changed in its parent. Common
/// head and tail lines are cut first, so the quadratic LCS only sees the edited middle.
/// </summary>
internal static class UnifiedDiff
{
    private const int Context = 3;

    /// <summary>Above this many middle lines on both sides the diff gives up on alignment and replaces the middle whole.</summary>
    private const long MaxCells = 16_000_000;

    public static string Create(string before, string after, string beforeName = "parent", string afterName = "program")
    {
        var a = Split(before);
        var b = Split(after);
        var head = 0;
        while (head < a.Length && head < b.Length && a[head] == b[head])
        {
            head++;
        }

        var tail = 0;
        while (tail < a.Length - head && tail < b.Length - head && a[^(tail + 1)] == b[^(tail + 1)])
        {
            tail++;
        }

        // One edit script over all lines: ' ' same, '-' removed, '+' added, with each line's numbers.
        var script = new List<(char Kind, string Line)>(a.Length + b.Length);
        script.AddRange(a[..head].Select(l => (' ', l)));
        script.AddRange(Middle(a[head..(a.Length - tail)], b[head..(b.Length - tail)]));
        script.AddRange(a[(a.Length - tail)..].Select(l => (' ', l)));

        var output = new StringBuilder();
        output.Append("--- ").Append(beforeName).Append('\n').Append("+++ ").Append(afterName).Append('\n');
        var changes = script.Select((s, i) => (s.Kind, i)).Where(s => s.Kind != ' ').Select(s => s.i).ToList();
        var index = 0;
        while (index < changes.Count)
        {
            var start = Math.Max(0, changes[index] - Context);
            var end = changes[index];
            while (index + 1 < changes.Count && changes[index + 1] - end <= 2 * Context)
            {
                end = changes[++index];
            }

            index++;
            end = Math.Min(script.Count - 1, end + Context);
            var oldStart = script.Take(start).Count(s => s.Kind != '+') + 1;
            var newStart = script.Take(start).Count(s => s.Kind != '-') + 1;
            var hunk = script.GetRange(start, end - start + 1);
            var oldCount = hunk.Count(s => s.Kind != '+');
            var newCount = hunk.Count(s => s.Kind != '-');
            output.Append($"@@ -{(oldCount == 0 ? oldStart - 1 : oldStart)},{oldCount} +{(newCount == 0 ? newStart - 1 : newStart)},{newCount} @@\n");
            foreach (var (kind, line) in hunk)
            {
                output.Append(kind).Append(line).Append('\n');
            }
        }

        return output.ToString();
    }

    private static string[] Split(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');

    private static IEnumerable<(char, string)> Middle(string[] a, string[] b)
    {
        if ((long)a.Length * b.Length > MaxCells)
        {
            return a.Select(l => ('-', l)).Concat(b.Select(l => ('+', l)));
        }

        // lcs[i, j] = length of the longest common subsequence of a[i..] and b[j..].
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var result = new List<(char, string)>();
        int x = 0, y = 0;
        while (x < a.Length && y < b.Length)
        {
            if (a[x] == b[y])
            {
                result.Add((' ', a[x++]));
                y++;
            }
            else if (lcs[x + 1, y] >= lcs[x, y + 1])
            {
                result.Add(('-', a[x++]));
            }
            else
            {
                result.Add(('+', b[y++]));
            }
        }

        result.AddRange(a[x..].Select(l => ('-', l)));
        result.AddRange(b[y..].Select(l => ('+', l)));
        return result;
    }
}
