using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace EvoCode.Evolver.Mutation.Builtin;

/// <summary>
/// Nudges one numeric literal of a C# program, found with Roslyn: a relative Gaussian step for reals, a small step
/// for integers; the step is the run's <paramref name="step"/> when it has one (adaptive), else the fixed start.
/// </summary>
public sealed class LiteralPerturbation(LiteralStepSize? step = null) : SyntaxRewriteOperator
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
            if (Perturb(token, random, step?.Scale ?? LiteralStepSize.Initial) is { } text && text != token.Text)
            {
                return new TextChange(token.Span, text);
            }
        }

        return null;
    }

    private static string? Perturb(SyntaxToken token, Random random, double scale) => token.Value switch
    {
        int i => LiteralStep.Integer(i, random),
        double or float or decimal => LiteralStep.Real(Convert.ToDouble(token.Value, CultureInfo.InvariantCulture), random, scale)
            + (token.Value is float ? "f" : token.Value is decimal ? "m" : string.Empty),
        _ => null,
    };
}
