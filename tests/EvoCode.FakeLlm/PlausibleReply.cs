using System.Globalization;
using System.Text.RegularExpressions;

namespace EvoCode.FakeLlm;

/// <summary>
/// The unscripted answer: a plausible edit derived from the program in the prompt, so the whole loop runs
/// with no model. It perturbs one numeric literal inside the EVOLVE block, as a SEARCH/REPLACE diff when the
/// prompt asks for one and as a full program otherwise, fenced with the prompt's own tag (```python, ```csharp). Usage is estimated as characters / 4 and reported exactly.
/// </summary>
public static partial class PlausibleReply
{
    private const string Start = "EVOLVE-BLOCK-START";
    private const string End = "EVOLVE-BLOCK-END";

    /// <summary>The reply to <paramref name="request"/>; <paramref name="sequence"/> varies the literal and the change.</summary>
    public static FakeStep For(FakeRequest request, int sequence)
    {
        ArgumentNullException.ThrowIfNull(request);
        var prompt = request.PromptText;
        var text = Answer(prompt, sequence);
        return FakeStep.Reply(text, Math.Max(1, prompt.Length / 4), Math.Max(1, text.Length / 4));
    }

    private static string Answer(string prompt, int sequence)
    {
        var block = CodeBlocks().Matches(prompt).FirstOrDefault(m => m.Groups["code"].Value.Contains(Start, StringComparison.Ordinal));
        if (block is null)
        {
            return "Notes: small changes to numeric constants were tried; keep the changes that raised the score and try larger steps next.";
        }

        var lines = block.Groups["code"].Value.Split('\n');
        var start = Array.FindIndex(lines, l => l.Contains(Start, StringComparison.Ordinal));

        // The marker line starts with the program's comment syntax: "//", "#", "--".
        var comment = lines[start].TrimStart().Split(' ')[0];
        var end = Array.FindIndex(lines, start + 1, l => l.Contains(End, StringComparison.Ordinal));
        if (end < 0)
        {
            end = lines.Length;
        }

        var candidates = new List<(int Line, Match Literal)>();
        for (var i = start + 1; i < end; i++)
        {
            if (lines[i].TrimStart().StartsWith(comment, StringComparison.Ordinal))
            {
                continue;
            }

            candidates.AddRange(Literal().Matches(lines[i]).Select(m => (i, m)));
        }

        var random = new Random(sequence);
        int line;
        string changed;
        if (candidates.Count == 0)
        {
            line = Math.Min(start + 1, end - 1);
            changed = lines[line] + $" {comment} variant {sequence}";
        }
        else
        {
            var (at, literal) = candidates[random.Next(candidates.Count)];
            line = at;
            changed = string.Concat(lines[at].AsSpan(0, literal.Index), Perturb(literal.Value, random), lines[at].AsSpan(literal.Index + literal.Length));
        }

        if (!prompt.Contains("SEARCH/REPLACE", StringComparison.Ordinal))
        {
            lines[line] = changed;
            return $"Here is the improved program.\n```{block.Groups["lang"].Value}\n{string.Join('\n', lines)}\n```\n";
        }

        // Widen the SEARCH until it matches exactly once in the program.
        var from = line;
        var to = line;
        while (Occurrences(lines, from, to) > 1 && (from > start + 1 || to < end - 1))
        {
            from = Math.Max(start + 1, from - 1);
            to = Math.Min(end - 1, to + 1);
        }

        var search = lines[from..(to + 1)];
        var replace = search.ToArray();
        replace[line - from] = changed;
        return $"Adjusting one constant.\n<<<<<<< SEARCH\n{string.Join('\n', search)}\n=======\n{string.Join('\n', replace)}\n>>>>>>> REPLACE\n";
    }

    private static int Occurrences(string[] lines, int from, int to)
    {
        var length = to - from + 1;
        var count = 0;
        for (var i = 0; i + length <= lines.Length; i++)
        {
            var same = true;
            for (var j = 0; j < length && same; j++)
            {
                same = lines[i + j] == lines[from + j];
            }

            count += same ? 1 : 0;
        }

        return count;
    }

    private static string Perturb(string literal, Random random)
    {
        if (literal.Contains('.', StringComparison.Ordinal))
        {
            var value = double.Parse(literal, CultureInfo.InvariantCulture);
            var decimals = literal.Length - literal.IndexOf('.', StringComparison.Ordinal) - 1;
            var factor = 1 + ((random.NextDouble() - 0.5) * 0.2);
            var next = Math.Round(value * factor, Math.Max(decimals, 2));
            var text = next.ToString("0.0###############", CultureInfo.InvariantCulture);
            return text == literal ? (value + 0.01).ToString("0.0###############", CultureInfo.InvariantCulture) : text;
        }

        var integer = long.Parse(literal, CultureInfo.InvariantCulture);
        return (integer + (integer == 0 || random.Next(2) == 0 ? 1 : -1)).ToString(CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"```(?<lang>[A-Za-z0-9#+]*)\n(?<code>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex CodeBlocks();

    // A literal not glued to an identifier or another number (so x1, 1e5, 0x10 are left alone).
    [GeneratedRegex(@"(?<![\w.])\d+(\.\d+)?(?![\w.])")]
    private static partial Regex Literal();
}
