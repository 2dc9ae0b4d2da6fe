using System.Text.RegularExpressions;

namespace EvoCode.Evolver.Llm;

/// <summary>Normalises a model reply before parsing: line endings, BOM, and reasoning drafts (which often hold diff markers of their own).</summary>
internal static partial class ReplyText
{
    public static string Normalize(string reply)
    {
        var text = reply.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').TrimStart('\uFEFF');
        text = ThinkBlock().Replace(text, "");

        // An unclosed draft (a reply cut inside <think>) leaves nothing usable after the tag.
        var open = text.IndexOf("<think>", StringComparison.Ordinal);
        return open >= 0 ? text[..open] : text;
    }

    [GeneratedRegex(@"<think>.*?</think>", RegexOptions.Singleline)]
    private static partial Regex ThinkBlock();
}
