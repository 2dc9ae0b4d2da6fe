using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace EvoCode.Evolver.Search;

/// <summary>Built-in features of a program's code, measured with Roslyn, for archives that name no evaluator metric.</summary>
public static class CodeFeatures
{
    /// <summary>Characters of code, whitespace and comments excluded.</summary>
    public const string Length = "code_length";

    /// <summary>McCabe's cyclomatic complexity: 1 + decision points.</summary>
    public const string Complexity = "complexity";

    /// <summary>Deepest nesting of loops, conditionals, switches and try statements.</summary>
    public const string Nesting = "nesting";

    public static Dictionary<string, double> Measure(string source)
    {
        var root = CSharpSyntaxTree.ParseText(source).GetRoot();
        var length = 0;
        var decisions = 0;
        foreach (var token in root.DescendantTokens())
        {
            length += token.Span.Length;
            if (token.IsKind(SyntaxKind.AmpersandAmpersandToken) || token.IsKind(SyntaxKind.BarBarToken) || token.IsKind(SyntaxKind.QuestionQuestionToken))
            {
                decisions++;
            }
        }

        foreach (var node in root.DescendantNodes())
        {
            if (node is IfStatementSyntax or WhileStatementSyntax or ForStatementSyntax or ForEachStatementSyntax or DoStatementSyntax
                or CaseSwitchLabelSyntax or CasePatternSwitchLabelSyntax or SwitchExpressionArmSyntax or CatchClauseSyntax or ConditionalExpressionSyntax)
            {
                decisions++;
            }
        }

        return new Dictionary<string, double>
        {
            [Length] = length,
            [Complexity] = 1 + decisions,
            [Nesting] = MaxNesting(root, 0),
        };
    }

    private static int MaxNesting(SyntaxNode node, int depth)
    {
        var here = node is IfStatementSyntax or WhileStatementSyntax or ForStatementSyntax or ForEachStatementSyntax
            or DoStatementSyntax or SwitchStatementSyntax or TryStatementSyntax ? depth + 1 : depth;
        var max = here;
        foreach (var child in node.ChildNodes())
        {
            max = Math.Max(max, MaxNesting(child, here));
        }

        return max;
    }
}
