using System.Text;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace EvoCode.Evolver.Persistence;

/// <summary>
/// How long texts (sources, prompts, replies, errors) are stored, the same on SQLite and PostgreSQL (ADR-011).
/// PostgreSQL <c>text</c> refuses U+0000 and UTF-8 cannot hold a lone surrogate, so before a text is written:
/// U+0000 becomes the pair U+FFFF '0' and U+FFFF itself becomes U+FFFF U+FFFF (U+FFFF is a noncharacter, never
/// in ordinary text, so every other text is stored as it is); reading reverses both, so NUL and U+FFFF survive
/// exactly. A lone surrogate (a broken UTF-16 string, which no encoding can store) becomes U+FFFD; astral
/// characters (valid surrogate pairs) are kept.
/// </summary>
public static class StoredText
{
    private const char Escape = '\uFFFF';

    /// <summary>The converter the text columns are mapped with.</summary>
    public static ValueConverter<string, string> Converter { get; } = new(text => Encode(text), stored => Decode(stored));

    /// <summary>The same for columns that may be null (EF Core never passes null to a converter).</summary>
    public static ValueConverter<string?, string> NullableConverter { get; } = new(text => Encode(text!), stored => Decode(stored));

    /// <summary>The stored form of a text.</summary>
    public static string Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!NeedsEncoding(text))
        {
            return text;
        }

        var stored = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                stored.Append(Escape).Append('0');
            }
            else if (c == Escape)
            {
                stored.Append(Escape).Append(Escape);
            }
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                stored.Append(c).Append(text[++i]);
            }
            else if (char.IsSurrogate(c))
            {
                stored.Append('\uFFFD');
            }
            else
            {
                stored.Append(c);
            }
        }

        return stored.ToString();
    }

    /// <summary>The text a stored form stands for.</summary>
    public static string Decode(string stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (!stored.Contains(Escape, StringComparison.Ordinal))
        {
            return stored;
        }

        var text = new StringBuilder(stored.Length);
        for (var i = 0; i < stored.Length; i++)
        {
            var c = stored[i];
            if (c == Escape && i + 1 < stored.Length)
            {
                text.Append(stored[++i] == '0' ? '\0' : Escape);
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    private static bool NeedsEncoding(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\0' or Escape)
            {
                return true;
            }

            if (char.IsSurrogate(c))
            {
                if (!char.IsHighSurrogate(c) || i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return true;
                }

                i++;
            }
        }

        return false;
    }
}
