using System.Security.Cryptography;
using System.Text;
using EvoCode.Evolver.Languages;

namespace EvoCode.Evolver.Search;

/// <summary>
/// What screening compares: a hash of the code with whitespace and comments removed (exact duplicates), and
/// the set of token trigrams (near-duplicates, by Jaccard similarity). The program's language splits the tokens.
/// </summary>
public sealed class CodeFingerprint
{
    private CodeFingerprint(string hash, HashSet<int> shingles)
    {
        Hash = hash;
        Shingles = shingles;
    }

    /// <summary>SHA-256 of the normalized token stream, lower-case hex.</summary>
    public string Hash { get; }

    internal HashSet<int> Shingles { get; }

    public static CodeFingerprint Of(string source, IProgramLanguage language)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(language);
        var tokens = language.Tokens(source).Select(t => t.Text).ToList();

        // One space between tokens keeps "a b" and "ab" apart while ignoring all other layout.
        var normalized = string.Join(' ', tokens);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)));

        var shingles = new HashSet<int>();
        for (var i = 0; i + 2 < tokens.Count; i++)
        {
            shingles.Add(HashCode.Combine(tokens[i], tokens[i + 1], tokens[i + 2]));
        }

        return new CodeFingerprint(hash, shingles);
    }

    /// <summary>Jaccard similarity of the token trigram sets, 1 for identical code.</summary>
    public double Similarity(CodeFingerprint other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Shingles.Count == 0 && other.Shingles.Count == 0)
        {
            return Hash == other.Hash ? 1 : 0;
        }

        var intersection = Shingles.Count <= other.Shingles.Count
            ? Shingles.Count(other.Shingles.Contains)
            : other.Shingles.Count(Shingles.Contains);
        return (double)intersection / (Shingles.Count + other.Shingles.Count - intersection);
    }
}
