using System.Globalization;
using EvoCode.Evolver.Languages;
using EvoCode.Evolver.Mutation.Builtin;

namespace EvoCode.Evolver.Mutation;

/// <summary>
/// The real-valued numeric literals inside a program's evolve blocks (found by the language's lexer, so C# and
/// Python alike), as a vector, and the program with other values written in their place. Integer literals are
/// left alone: they are counts, indices and sizes far more often than tunable constants.
/// </summary>
public sealed class TunableConstants
{
    private readonly string _source;
    private readonly List<(int Start, int Length, string Suffix)> _places;

    private TunableConstants(string source, List<(int Start, int Length, string Suffix)> places, double[] values)
    {
        _source = source;
        _places = places;
        Values = values;
    }

    /// <summary>The constants' values, in source order.</summary>
    public IReadOnlyList<double> Values { get; }

    public int Count => Values.Count;

    /// <summary>The constants of <paramref name="source"/>; none when it has no (well-formed) evolve block.</summary>
    public static TunableConstants Lift(string source, IProgramLanguage language)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(language);
        var places = new List<(int, int, string)>();
        var values = new List<double>();
        if (EvolveBlocks.TryParse(source, language, out var blocks, out _))
        {
            foreach (var token in language.Tokens(source))
            {
                if (token.Kind == SourceTokenKind.Number
                    && blocks.Blocks.Any(b => token.Start >= b.Start.Value && token.Start + token.Length <= b.End.Value)
                    && NumericLiteralPerturbation.Parse(token.Text) is { Integer: false } literal)
                {
                    places.Add((token.Start, token.Length, literal.Suffix));
                    values.Add(literal.Value);
                }
            }
        }

        return new TunableConstants(source, places, [.. values]);
    }

    /// <summary>
    /// The program with constant <c>indices[k]</c> set to <c>values[k]</c>; the others keep their text. A value is
    /// written with 12 significant digits so that it still reads as a real ("2.0", "1E-12"), and a negative one in
    /// parentheses, since a literal carries no sign and may follow a minus ("x - (-0.3)").
    /// </summary>
    public string Write(IReadOnlyList<int> indices, IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(values);
        if (indices.Count != values.Count)
        {
            throw new ArgumentException("One value per index is needed.", nameof(values));
        }

        var replacements = indices.Zip(values).OrderBy(p => _places[p.First].Start).ToList();
        var text = new System.Text.StringBuilder(_source.Length + 16);
        var at = 0;
        foreach (var (index, value) in replacements)
        {
            if (!double.IsFinite(value))
            {
                throw new ArgumentException("Constants must be finite.", nameof(values));
            }

            var (start, length, suffix) = _places[index];
            text.Append(_source, at, start - at).Append(Format(value, suffix));
            at = start + length;
        }

        return text.Append(_source, at, _source.Length - at).ToString();
    }

    private static string Format(double value, string suffix)
    {
        var digits = Math.Abs(value).ToString("G12", CultureInfo.InvariantCulture);
        if (!digits.Contains('.', StringComparison.Ordinal) && !digits.Contains('E', StringComparison.Ordinal))
        {
            digits += ".0";
        }

        return value < 0 ? $"(-{digits}{suffix})" : digits + suffix;
    }
}
