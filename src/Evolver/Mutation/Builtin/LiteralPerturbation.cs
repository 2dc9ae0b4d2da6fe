using System.Globalization;
using EvoCode.Evolver.Search;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace EvoCode.Evolver.Mutation.Builtin;

/// <summary>Nudges one numeric literal: a relative Gaussian step for reals, a small step for integers.</summary>
public sealed class LiteralPerturbation : SyntaxRewriteOperator
{
    public override string Name => "literal";

    protected override TextChange? Rewrite(RewriteScope scope, Random random)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var literals = scope.EditableTokens(t => t.IsKind(SyntaxKind.NumericLiteralToken));
        if (literals.Count == 0)
        {
            return null;
        }

        // A draw can round back to the same text (an integer clamped at 0, a tiny real step): draw again.
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var token = Pick(literals, random);
            if (Perturb(token, random) is { } text && text != token.Text)
            {
                return new TextChange(token.Span, text);
            }
        }

        return null;
    }

    private static string? Perturb(SyntaxToken token, Random random)
    {
        var gaussian = random is RunRandom run ? run.NextGaussian() : Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        string text;
        switch (token.Value)
        {
            case int i:
                var step = Math.Max(1, (int)Math.Round(Math.Abs(i) * 0.25 * Math.Abs(gaussian)));
                var next = random.Next(2) == 0 ? i - step : i + step;
                text = Math.Max(0, next).ToString(CultureInfo.InvariantCulture);
                break;
            case double or float or decimal:
                var value = Convert.ToDouble(token.Value, CultureInfo.InvariantCulture);
                var scale = value == 0 ? 0.05 : Math.Abs(value) * 0.1;
                var changed = value + (gaussian * scale);
                text = changed.ToString("R", CultureInfo.InvariantCulture);
                if (!text.Contains('.', StringComparison.Ordinal) && !text.Contains('E', StringComparison.Ordinal))
                {
                    text += ".0";
                }

                text += token.Value is float ? "f" : token.Value is decimal ? "m" : string.Empty;
                break;
            default:
                return null;
        }

        return text;
    }
}
