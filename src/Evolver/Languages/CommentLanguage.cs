using EvoCode.Evolver.Llm;
using EvoCode.Evolver.Mutation;
using EvoCode.Evolver.Mutation.Builtin;
using EvoCode.Evolver.Search;

namespace EvoCode.Evolver.Languages;

/// <summary>
/// Any language with a line-comment syntax: markers in its comments, the language-neutral lexer, the neutral code
/// features, the token and line operators, and no screen beyond the markers (the evaluator is the judge).
/// </summary>
public class CommentLanguage(string id, string displayName, LexicalRules rules, IReadOnlyList<string> fenceTags, IReadOnlyList<string> fileExtensions) : IProgramLanguage
{
    public string Id { get; } = id;

    public string DisplayName { get; } = displayName;

    public string CommentPrefix => Rules.CommentPrefix;

    public IReadOnlyList<string> FenceTags { get; } = fenceTags;

    public IReadOnlyList<string> FileExtensions { get; } = fileExtensions;

    public IReadOnlyList<IMutationOperator> Operators => BuiltinOperators.AnyLanguage;

    public IReadOnlyDictionary<string, double> DefaultMix => BuiltinOperators.AnyLanguageMix;

    /// <summary>How its source splits into tokens.</summary>
    public LexicalRules Rules { get; } = rules;

    public IReadOnlyList<SourceToken> Tokens(string source) => SourceLexer.Tokenize(source, Rules);

    public Dictionary<string, double> Features(string source) => CodeFeatures.MeasureTokens(source, Tokens(source), Rules.IndentationMatters);

    public virtual ICodeCheck? Screen(ScreenServices services) => null;

    public override string ToString() => Id;
}
