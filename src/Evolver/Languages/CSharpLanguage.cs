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
    private readonly FeatureCache _features = new(1024);
    private long _parses;

    public string Id => "csharp";

    public string DisplayName => "C#";

    public string CommentPrefix => "//";

    public IReadOnlyList<string> FenceTags { get; } = ["csharp", "cs", "c#"];

    public IReadOnlyList<string> FileExtensions { get; } = [".cs"];

    public IReadOnlyList<IMutationOperator> Operators => BuiltinOperators.CSharp;

    public IReadOnlyDictionary<string, double> DefaultMix => BuiltinOperators.CSharpMix;

    /// <summary>Roslyn parses done here (the fingerprint's and the features' parse of one program are one).</summary>
    internal long Parses => Interlocked.Read(ref _parses);

    public IReadOnlyList<SourceToken> Tokens(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var root = Parse(source);

        // The screen fingerprints a program before it is evaluated; its features are measured on the same tree now
        // and kept for the commit, so a program is parsed once.
        _features.Keep(source, CodeFeatures.MeasureCSharp(root));
        return [.. root.DescendantTokens()
            .Where(t => !t.IsKind(SyntaxKind.EndOfFileToken))
            .Select(t => new SourceToken(Kind(t), t.SpanStart, t.Span.Length, t.Text))];
    }

    public Dictionary<string, double> Features(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return _features.Find(source) is { } kept ? new Dictionary<string, double>(kept) : CodeFeatures.MeasureCSharp(Parse(source));
    }

    public ICodeCheck? Screen(ScreenServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.CompileCheck;
    }

    public override string ToString() => Id;

    private SyntaxNode Parse(string source)
    {
        Interlocked.Increment(ref _parses);
        return CSharpSyntaxTree.ParseText(source).GetRoot();
    }

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
