using EvoCode.Evolver.Llm;
using EvoCode.Evolver.Mutation;
using EvoCode.Evolver.Mutation.Builtin;
using EvoCode.Evolver.Search;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace EvoCode.Evolver.Languages;

/// <summary>C#: Roslyn tokens, Roslyn code features, the Roslyn rewrites, and the sandbox's compile and policy check as its screen.</summary>
public sealed class CSharpLanguage : IProgramLanguage
{
    public string Id => "csharp";

    public string DisplayName => "C#";

    public string CommentPrefix => "//";

    public IReadOnlyList<string> FenceTags { get; } = ["csharp", "cs", "c#"];

    public IReadOnlyList<string> FileExtensions { get; } = [".cs"];

    public IReadOnlyList<IMutationOperator> Operators => BuiltinOperators.CSharp;

    public IReadOnlyDictionary<string, double> DefaultMix => BuiltinOperators.CSharpMix;

    public IReadOnlyList<SourceToken> Tokens(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return [.. CSharpSyntaxTree.ParseText(source).GetRoot().DescendantTokens()
            .Where(t => !t.IsKind(SyntaxKind.EndOfFileToken))
            .Select(t => new SourceToken(Kind(t), t.SpanStart, t.Span.Length, t.Text))];
    }

    public Dictionary<string, double> Features(string source) => CodeFeatures.MeasureCSharp(source);

    public ICodeCheck? Screen(ScreenServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.CompileCheck;
    }

    public override string ToString() => Id;

    private static SourceTokenKind Kind(SyntaxToken token) => token.Kind() switch
    {
        SyntaxKind.NumericLiteralToken => SourceTokenKind.Number,
        SyntaxKind.StringLiteralToken or SyntaxKind.CharacterLiteralToken or SyntaxKind.InterpolatedStringTextToken
            or SyntaxKind.SingleLineRawStringLiteralToken or SyntaxKind.MultiLineRawStringLiteralToken or SyntaxKind.Utf8StringLiteralToken => SourceTokenKind.Text,
        SyntaxKind.IdentifierToken => SourceTokenKind.Word,
        _ when SyntaxFacts.IsKeywordKind(token.Kind()) => SourceTokenKind.Word,
        _ => SourceTokenKind.Symbol,
    };
}
