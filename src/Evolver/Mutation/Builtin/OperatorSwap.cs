using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace EvoCode.Evolver.Mutation.Builtin;

/// <summary>Swaps one operator for its sibling (+/-, *//, &lt;/&lt;=, &gt;/&gt;=) or Math.Min for Math.Max.</summary>
public sealed class OperatorSwap : SyntaxRewriteOperator
{
    private static readonly Dictionary<SyntaxKind, string> s_swaps = new()
    {
        [SyntaxKind.PlusToken] = "-",
        [SyntaxKind.MinusToken] = "+",
        [SyntaxKind.AsteriskToken] = "/",
        [SyntaxKind.SlashToken] = "*",
        [SyntaxKind.LessThanToken] = "<=",
        [SyntaxKind.LessThanEqualsToken] = "<",
        [SyntaxKind.GreaterThanToken] = ">=",
        [SyntaxKind.GreaterThanEqualsToken] = ">",
    };

    public override string Name => "swap-operator";

    protected override TextChange? Rewrite(RewriteScope scope, Random random)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var changes = new List<TextChange>();
        foreach (var binary in scope.Editable<BinaryExpressionSyntax>())
        {
            if (s_swaps.TryGetValue(binary.OperatorToken.Kind(), out var swap))
            {
                changes.Add(new TextChange(binary.OperatorToken.Span, swap));
            }
        }

        foreach (var name in scope.Editable<MemberAccessExpressionSyntax>())
        {
            if (name.Expression is IdentifierNameSyntax { Identifier.Text: "Math" or "MathF" } && name.Name.Identifier.Text is "Min" or "Max")
            {
                changes.Add(new TextChange(name.Name.Span, name.Name.Identifier.Text == "Min" ? "Max" : "Min"));
            }
        }

        return changes.Count == 0 ? null : Pick(changes, random);
    }
}
