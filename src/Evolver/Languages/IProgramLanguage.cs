using EvoCode.Evolver.Llm;
using EvoCode.Evolver.Mutation;

namespace EvoCode.Evolver.Languages;

/// <summary>
/// What the engine needs to know about the language a problem's programs are written in: how its comments mark
/// the evolve blocks, how its code splits into tokens (duplicate fingerprint, near-duplicate similarity), which
/// code features the archive measures, which built-in operators apply, and how a proposal is screened before
/// it costs an evaluation. Everything else (running and scoring) belongs to the problem's evaluator.
/// </summary>
public interface IProgramLanguage
{
    /// <summary>The name problems use, lower case: "csharp", "python", "javascript", ...</summary>
    string Id { get; }

    /// <summary>The name people use, for prompts: "C#", "Python".</summary>
    string DisplayName { get; }

    /// <summary>What starts a line comment, and so the EVOLVE-BLOCK marker lines: "//", "#", "--".</summary>
    string CommentPrefix { get; }

    /// <summary>Code-fence tags models write for this language, the one prompts use first.</summary>
    IReadOnlyList<string> FenceTags { get; }

    /// <summary>File extensions of its sources, with the dot, the usual one first.</summary>
    IReadOnlyList<string> FileExtensions { get; }

    /// <summary>The code as tokens with their places, without whitespace and comments (layout that carries meaning, like Python's indentation, stays as tokens).</summary>
    IReadOnlyList<SourceToken> Tokens(string source);

    /// <summary>Built-in code features for archives that name no evaluator feature (see <see cref="Search.CodeFeatures"/>).</summary>
    Dictionary<string, double> Features(string source);

    /// <summary>The offline operators that work on this language.</summary>
    IReadOnlyList<IMutationOperator> Operators { get; }

    /// <summary>Their default weights, by operator name.</summary>
    IReadOnlyDictionary<string, double> DefaultMix { get; }

    /// <summary>The check a proposal passes before it is stored, or <c>null</c> when the markers are all that can be checked.</summary>
    ICodeCheck? Screen(ScreenServices services);
}
