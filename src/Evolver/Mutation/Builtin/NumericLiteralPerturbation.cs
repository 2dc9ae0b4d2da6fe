using System.Globalization;
using EvoCode.Evolver.Languages;

namespace EvoCode.Evolver.Mutation.Builtin;

/// <summary>
/// Nudges one numeric literal inside the evolve blocks of a program in any language, found by the language's
/// tokenizer; a type suffix (1.5f, 10L) is kept. Hexadecimal, binary and digit-grouped literals are left alone.
/// The step is the run's <paramref name="step"/> when it has one (adaptive), else the fixed start.
/// </summary>
public sealed class NumericLiteralPerturbation(LiteralStepSize? step = null) : TextEditOperator
{
    public override string Name => "literal";

    protected override TextEdit? Edit(string source, EvolveBlocks blocks, MutationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var literals = request.Language.Tokens(source)
            .Where(t => t.Kind == SourceTokenKind.Number && Inside(blocks, t.Start, t.Length) && Parse(t.Text) is not null)
            .ToList();
        if (literals.Count == 0)
        {
            return null;
        }

        // A draw can round back to the same text (an integer clamped at 0): draw again.
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var token = literals[request.Random.Next(literals.Count)];
            var (value, integer, suffix) = Parse(token.Text)!.Value;
            var scale = step?.Scale ?? LiteralStepSize.Initial;
            var text = (integer && value <= long.MaxValue ? LiteralStep.Integer((long)value, request.Random) : LiteralStep.Real(value, request.Random, scale)) + suffix;
            if (text != token.Text)
            {
                return new TextEdit(token.Start, token.Length, text);
            }
        }

        return null;
    }

    /// <summary>The literal's value, whether it is written as an integer, and its type suffix; <c>null</c> for literals left alone.</summary>
    internal static (double Value, bool Integer, string Suffix)? Parse(string text)
    {
        if (text.Contains('_', StringComparison.Ordinal) || text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || text.StartsWith("0b", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var end = 0;
        while (end < text.Length && (char.IsAsciiDigit(text[end]) || text[end] == '.'
            || (text[end] is 'e' or 'E' && end + 1 < text.Length && (char.IsAsciiDigit(text[end + 1]) || text[end + 1] is '+' or '-'))
            || (text[end] is '+' or '-' && end > 0 && text[end - 1] is 'e' or 'E')))
        {
            end++;
        }

        var number = text[..end];
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? (value, !number.Contains('.', StringComparison.Ordinal) && !number.Contains('e', StringComparison.OrdinalIgnoreCase), text[end..])
            : null;
    }
}
