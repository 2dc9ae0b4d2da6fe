using System.Text;

namespace EvoCode.Sandbox.Protocol;

/// <summary>
/// Cuts a text a candidate produced (its log, an exception's message and stack, a command's stderr) to a byte
/// budget, ending it with a marker that says how much was cut, so nothing a candidate writes can make a stored
/// program or an API answer unbounded.
/// </summary>
internal static class TextCap
{
    /// <summary>Returns <paramref name="text"/> unchanged when it fits in <paramref name="maxBytes"/> UTF-8 bytes, else its head and a cut marker.</summary>
    public static string? Cut(string? text, int maxBytes)
    {
        if (text is null || text.Length <= maxBytes / 4 || Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return text;
        }

        var total = Encoding.UTF8.GetByteCount(text);
        var marker = $"\n[... cut by the sandbox: {total} bytes, the limit is {maxBytes} ...]";
        var budget = Math.Max(0, maxBytes - Encoding.UTF8.GetByteCount(marker));

        // Walk characters so a cut never splits a surrogate pair or a UTF-8 sequence.
        var bytes = 0;
        var end = 0;
        while (end < text.Length)
        {
            var width = char.IsHighSurrogate(text[end]) && end + 1 < text.Length ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(text.AsSpan(end, width));
            if (bytes + size > budget)
            {
                break;
            }

            bytes += size;
            end += width;
        }

        return string.Concat(text.AsSpan(0, end), marker);
    }
}
