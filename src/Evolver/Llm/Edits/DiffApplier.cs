using System.Globalization;
using EvoCode.Evolver.Languages;
using EvoCode.Evolver.Mutation;

namespace EvoCode.Evolver.Llm;

/// <summary>
/// Applies SEARCH/REPLACE blocks in order to the evolving text. Each SEARCH must match exactly once,
/// inside an EVOLVE-BLOCK region. Matching falls back from exact to trailing-whitespace-insensitive to
/// indentation-insensitive (re-indenting the replacement), and each fallback is noted; similarity is
/// used only to explain a miss, never to apply.
/// </summary>
public static class DiffApplier
{
    private const string MarkerFragment = "EVOLVE-BLOCK-";

    private enum Stage
    {
        Exact,
        TrailingWhitespace,
        Indentation,
    }

    /// <summary>Applies <paramref name="blocks"/> to <paramref name="parent"/>, a program in <paramref name="language"/> (C# when not given).</summary>
    public static EditResult Apply(string parent, IReadOnlyList<SearchReplaceBlock> blocks, IProgramLanguage? language = null)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(blocks);
        language ??= ProgramLanguages.CSharp;
        if (!EvolveBlocks.TryParse(parent, language, out var parentBlocks, out var markerError))
        {
            return EditResult.Fail($"The parent program's markers are malformed: {markerError}");
        }

        var notes = new List<string>();
        var lines = parent.Split('\n').ToList();
        for (var b = 0; b < blocks.Count; b++)
        {
            var block = blocks[b];
            var label = string.Create(CultureInfo.InvariantCulture, $"Block {b + 1}");
            if (block.Search.Concat(block.Replace).Any(l => l.Contains(MarkerFragment, StringComparison.Ordinal)))
            {
                return EditResult.Fail($"{label}: SEARCH/REPLACE text must not contain the EVOLVE-BLOCK marker lines; edit only the code between them.", notes);
            }

            var regions = Regions(string.Join('\n', lines), language);
            if (block.Search.All(string.IsNullOrWhiteSpace))
            {
                var (_, end) = regions[^1];
                lines.InsertRange(end, block.Replace);
                notes.Add($"{label}: empty SEARCH, lines appended at the end of the last evolve block.");
                continue;
            }

            var applied = false;
            foreach (var stage in Enum.GetValues<Stage>())
            {
                var matches = Find(lines, block.Search, stage);
                if (matches.Count == 0)
                {
                    continue;
                }

                if (matches.Count > 1)
                {
                    return EditResult.Fail($"{label}: the SEARCH text matches {matches.Count} places (lines {string.Join(", ", matches.Select(m => m + 1))}); it must match exactly once, so include more surrounding lines.", notes);
                }

                var at = matches[0];
                var length = block.Search.Count;
                if (!regions.Any(r => r.Start <= at && at + length <= r.End))
                {
                    return EditResult.Fail($"{label}: the SEARCH text (lines {at + 1}-{at + length}) lies outside the EVOLVE-BLOCK regions; only code between the markers may change.", notes);
                }

                var replacement = stage == Stage.Indentation ? Reindent(block.Replace, block.Search[0], lines[at]) : block.Replace;
                lines.RemoveRange(at, length);
                lines.InsertRange(at, replacement);
                if (stage != Stage.Exact)
                {
                    notes.Add($"{label}: no exact match; applied with a {(stage == Stage.TrailingWhitespace ? "trailing-whitespace" : "indentation")}-tolerant match at line {at + 1}.");
                }

                applied = true;
                break;
            }

            if (!applied)
            {
                return EditResult.Fail($"{label}: the SEARCH text was not found in the current program{Closest(lines, block.Search)}. Copy the SEARCH lines exactly from the program, including indentation.", notes);
            }
        }

        var child = string.Join('\n', lines);
        if (string.Equals(child, parent, StringComparison.Ordinal))
        {
            return EditResult.Fail("The edits change nothing.", notes);
        }

        if (!EvolveBlocks.TryParse(child, language, out var childBlocks, out var childError) || childBlocks.Blocks.Count != parentBlocks.Blocks.Count)
        {
            return EditResult.Fail($"After the edits the EVOLVE-BLOCK markers are broken: {childError ?? "the number of blocks changed"}.", notes);
        }

        return parentBlocks.FrozenPartsMatch(child)
            ? new EditResult(child, null, notes)
            : EditResult.Fail("The edits change code outside the EVOLVE-BLOCK regions.", notes);
    }

    /// <summary>Evolve block bodies as line ranges [Start, End) of <paramref name="text"/>.</summary>
    private static List<(int Start, int End)> Regions(string text, IProgramLanguage language)
    {
        EvolveBlocks.TryParse(text, language, out var blocks, out _);
        return [.. blocks.Blocks.Select(r => (LineOf(text, r.Start.Value), LineOf(text, r.End.Value)))];
    }

    private static int LineOf(string text, int offset) => text.AsSpan(0, offset).Count('\n');

    private static List<int> Find(List<string> lines, IReadOnlyList<string> search, Stage stage)
    {
        var found = new List<int>();
        for (var i = 0; i + search.Count <= lines.Count; i++)
        {
            var all = true;
            for (var j = 0; j < search.Count && all; j++)
            {
                all = Same(lines[i + j], search[j], stage);
            }

            if (all)
            {
                found.Add(i);
            }
        }

        return found;
    }

    private static bool Same(string line, string search, Stage stage) => stage switch
    {
        Stage.Exact => string.Equals(line, search, StringComparison.Ordinal),
        Stage.TrailingWhitespace => string.Equals(line.TrimEnd(), search.TrimEnd(), StringComparison.Ordinal),
        _ => string.Equals(line.Trim(), search.Trim(), StringComparison.Ordinal),
    };

    private static List<string> Reindent(IReadOnlyList<string> replace, string searchFirst, string actualFirst)
    {
        var from = Indent(searchFirst);
        var to = Indent(actualFirst);
        return [.. replace.Select(line =>
        {
            if (line.Length == 0)
            {
                return line;
            }

            if (line.StartsWith(from, StringComparison.Ordinal))
            {
                return to + line[from.Length..];
            }

            // A line indented less than the SEARCH's first line keeps its own indentation.
            return line;
        })];
    }

    private static string Indent(string line) => line[..(line.Length - line.TrimStart().Length)];

    private static string Closest(List<string> lines, IReadOnlyList<string> search)
    {
        var bestAt = -1;
        var bestScore = 0;
        for (var i = 0; i + search.Count <= lines.Count; i++)
        {
            var score = 0;
            for (var j = 0; j < search.Count; j++)
            {
                score += string.Equals(lines[i + j].Trim(), search[j].Trim(), StringComparison.Ordinal) ? 1 : 0;
            }

            if (score > bestScore)
            {
                bestScore = score;
                bestAt = i;
            }
        }

        if (bestAt < 0 || bestScore * 2 < search.Count)
        {
            return "";
        }

        var excerpt = string.Join('\n', lines.Skip(bestAt).Take(search.Count));
        return $" (the closest text, {bestScore} of {search.Count} lines alike, is at line {bestAt + 1}:\n{excerpt}\n)";
    }
}
