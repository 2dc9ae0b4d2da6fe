using EvoCode.Evolver.Languages;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace EvoCode.Evolver.Search;

/// <summary>
/// Built-in features of a program's code, for archives that name no evaluator metric: measured with Roslyn for
/// C#, and from the language-neutral tokens (branching keywords, nesting by braces or indentation) for the rest.
/// The names are the same in every language, so one archive layout fits every problem.
/// </summary>
public static class CodeFeatures
{
    /// <summary>Characters of code, whitespace and comments excluded.</summary>
    public const string Length = "code_length";

    /// <summary>McCabe's cyclomatic complexity: 1 + decision points.</summary>
    public const string Complexity = "complexity";

    /// <summary>Deepest nesting of loops, conditionals, switches and try statements.</summary>
    public const string Nesting = "nesting";

    /// <summary>Non-blank lines that hold code (language-neutral measure only).</summary>
    public const string Lines = "lines";

    // Words and symbols that open a decision in most languages; "else if" counts once, through its "if".
    private static readonly HashSet<string> s_branching = new(StringComparer.Ordinal)
    {
        "if", "elif", "elsif", "elseif", "for", "foreach", "while", "until", "loop", "case", "when", "catch", "except", "and", "or", "&&", "||", "?",
    };

    /// <summary>The features of <paramref name="source"/>, as its language measures them.</summary>
    public static Dictionary<string, double> Measure(string source, IProgramLanguage language)
    {
        ArgumentNullException.ThrowIfNull(language);
        return language.Features(source);
    }

    /// <summary>Length, complexity and nesting from the C# syntax tree.</summary>
    public static Dictionary<string, double> MeasureCSharp(string source) => MeasureCSharp(CSharpSyntaxTree.ParseText(source).GetRoot());

    /// <summary>Length, complexity and nesting of a parsed C# program (the language shares one parse with the fingerprint).</summary>
    public static Dictionary<string, double> MeasureCSharp(SyntaxNode root)
    {
        ArgumentNullException.ThrowIfNull(root);
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

    /// <summary>
    /// Length (characters of tokens), complexity (1 + branching keywords and logical operators), nesting (deepest
    /// indentation for layout languages, deepest braces for the rest) and lines, from language-neutral tokens.
    /// </summary>
    public static Dictionary<string, double> MeasureTokens(string source, IReadOnlyList<SourceToken> tokens, bool indentation)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(tokens);
        var length = 0;
        var decisions = 0;
        var depth = 0;
        var deepest = 0;
        var lines = 0;
        var line = 0;
        var lastCounted = -1;
        var scanned = 0;
        foreach (var token in tokens)
        {
            length += token.Length;
            if (s_branching.Contains(token.Text))
            {
                decisions++;
            }

            depth = (token.Kind, token.Text, indentation) switch
            {
                (SourceTokenKind.Indent, _, true) or (SourceTokenKind.Symbol, "{", false) => depth + 1,
                (SourceTokenKind.Dedent, _, true) or (SourceTokenKind.Symbol, "}", false) => Math.Max(0, depth - 1),
                _ => depth,
            };
            deepest = Math.Max(deepest, depth);
            if (token.Length > 0)
            {
                // Tokens come in order, so the line number only moves forward.
                line += source.AsSpan(scanned, token.Start - scanned).Count('\n');
                scanned = token.Start;
                if (line != lastCounted)
                {
                    lines++;
                    lastCounted = line;
                }
            }
        }

        return new Dictionary<string, double>
        {
            [Length] = length,
            [Complexity] = 1 + decisions,
            [Nesting] = deepest,
            [Lines] = lines,
        };
    }
}
