using System.Text.RegularExpressions;
using EvoCode.Evolver.Languages;
using EvoCode.Evolver.Mutation;

namespace EvoCode.Evolver.Llm;

/// <summary>
/// Reads a full rewrite: the first fenced block tagged for the program's language (```python, ```py,
/// ```csharp, ```cs, ```c#, ...), else the first fenced block, tagged or plain (never the bare reply: prose
/// would end up in code). The new evolve-block bodies are put into the parent, so the
/// code outside the markers stays the parent's byte for byte.
/// </summary>
public static partial class RewriteParser
{
    /// <summary>Builds the child from <paramref name="parent"/>, a program in <paramref name="language"/> (C# when not given), and a rewrite reply.</summary>
    public static EditResult Apply(string parent, string reply, IProgramLanguage? language = null)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(reply);
        language ??= ProgramLanguages.CSharp;
        var text = ReplyText.Normalize(reply);
        var fences = Fence().Matches(text);
        if (fences.Count == 0)
        {
            return EditResult.Fail(Unclosed().IsMatch(text)
                ? "The code block is not closed with ``` (the reply looks truncated)."
                : "The reply has no fenced code block. Put the complete program in one ```" + language.FenceTags[0] + " block.");
        }

        var chosen = fences.FirstOrDefault(m => language.FenceTags.Contains(m.Groups["lang"].Value, StringComparer.OrdinalIgnoreCase)) ?? fences[0];
        var code = chosen.Groups["code"].Value;
        if (!EvolveBlocks.TryParse(parent, language, out var parentBlocks, out var parentError))
        {
            return EditResult.Fail($"The parent program's markers are malformed: {parentError}");
        }

        if (!EvolveBlocks.TryParse(code, language, out var newBlocks, out var error))
        {
            return EditResult.Fail($"Keep the {EvolveBlocks.StartMarker(language)} / {EvolveBlocks.EndMarker(language)} lines in the program you return: {error}");
        }

        if (newBlocks.Blocks.Count != parentBlocks.Blocks.Count)
        {
            return EditResult.Fail($"The program must keep exactly {parentBlocks.Blocks.Count} evolve block(s); the reply has {newBlocks.Blocks.Count}.");
        }

        var notes = new List<string>();
        if (!parentBlocks.FrozenPartsMatch(code))
        {
            notes.Add("The rewrite changed code outside the evolve blocks; the parent's frozen code was kept.");
        }

        // Replace from the last block so earlier ranges stay valid.
        var child = parent;
        for (var i = parentBlocks.Blocks.Count - 1; i >= 0; i--)
        {
            EvolveBlocks.TryParse(child, language, out var current, out _);
            child = current.Replace(i, newBlocks[i]);
        }

        return string.Equals(child, parent, StringComparison.Ordinal)
            ? EditResult.Fail("The rewrite is identical to the parent.", notes)
            : new EditResult(child, null, notes);
    }

    [GeneratedRegex(@"^[ \t]*```[ \t]*(?<lang>[A-Za-z0-9#+._-]*)[^\n]*\n(?<code>.*?)^[ \t]*```[ \t]*$", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex Fence();

    [GeneratedRegex(@"^[ \t]*```", RegexOptions.Multiline)]
    private static partial Regex Unclosed();
}
