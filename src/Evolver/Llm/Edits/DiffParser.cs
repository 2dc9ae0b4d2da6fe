using System.Text.RegularExpressions;

namespace EvoCode.Evolver.Llm;

/// <summary>
/// Reads SEARCH/REPLACE blocks with a line-based state machine (not one greedy regex, which swallows a
/// second <c>=======</c> into code). Any unbalanced marker rejects the whole reply with a reason the model can act on.
/// </summary>
public static partial class DiffParser
{
    /// <summary>Parses <paramref name="reply"/>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string reply, out IReadOnlyList<SearchReplaceBlock> blocks, out string? error)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var lines = ReplyText.Normalize(reply).Split('\n');
        var found = new List<SearchReplaceBlock>();
        List<string>? search = null;
        List<string>? replace = null;
        blocks = found;
        error = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (SearchMarker().IsMatch(line))
            {
                if (search is not null)
                {
                    error = $"Line {i + 1}: a new '<<<<<<< SEARCH' starts before the previous block ended with '>>>>>>> REPLACE'.";
                    return false;
                }

                search = [];
            }
            else if (DividerMarker().IsMatch(line))
            {
                if (search is null)
                {
                    error = $"Line {i + 1}: '=======' outside a SEARCH/REPLACE block.";
                    return false;
                }

                if (replace is not null)
                {
                    error = $"Line {i + 1}: a second '=======' inside one block; a code line that is exactly '=======' cannot be expressed in this format.";
                    return false;
                }

                replace = [];
            }
            else if (ReplaceMarker().IsMatch(line))
            {
                if (search is null || replace is null)
                {
                    error = $"Line {i + 1}: '>>>>>>> REPLACE' without a matching '<<<<<<< SEARCH' and '======='.";
                    return false;
                }

                found.Add(new SearchReplaceBlock(search, replace));
                search = null;
                replace = null;
            }
            else if (replace is not null)
            {
                replace.Add(line);
            }
            else
            {
                search?.Add(line);
            }
        }

        if (search is not null)
        {
            error = "The reply ends inside a SEARCH/REPLACE block (it looks truncated): every block needs '<<<<<<< SEARCH', '=======' and '>>>>>>> REPLACE' lines.";
            return false;
        }

        if (found.Count == 0)
        {
            error = "The reply has no SEARCH/REPLACE block. Use the exact format:\n<<<<<<< SEARCH\n(lines copied from the program)\n=======\n(new lines)\n>>>>>>> REPLACE";
            return false;
        }

        return true;
    }

    [GeneratedRegex(@"^\s*<{7}\s*SEARCH\s*$")]
    private static partial Regex SearchMarker();

    [GeneratedRegex(@"^\s*={7}\s*$")]
    private static partial Regex DividerMarker();

    [GeneratedRegex(@"^\s*>{7}\s*REPLACE\s*$")]
    private static partial Regex ReplaceMarker();
}
