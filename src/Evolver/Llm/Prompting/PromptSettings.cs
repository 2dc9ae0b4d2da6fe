namespace EvoCode.Evolver.Llm;

/// <summary>What a run's prompts may contain and how large they may grow. A problem sets these and may override any template by name.</summary>
public sealed record PromptSettings
{
    /// <summary>Whether the problem wants the target value in prompts (off by default: it leaks into code otherwise).</summary>
    public bool ShowTarget { get; init; }

    /// <summary>The target score, shown only when <see cref="ShowTarget"/> is set; otherwise scrubbed from every text of a prompt except program code.</summary>
    public double? TargetValue { get; init; }

    /// <summary>
    /// Template overrides by name (the operators' system, diff, rewrite, crossover, fix, feedback, meta, and the
    /// sections history, top_programs, inspirations, failures, archive, exploration) in Semantic Kernel template
    /// syntax. An empty section template turns that section off.
    /// </summary>
    public IReadOnlyDictionary<string, string> Templates { get; init; } = new Dictionary<string, string>();

    /// <summary>Tokens each section's entries may take (counted with the tokenizer); entries past it are left out whole, oldest or lowest first. 0 turns a section off.</summary>
    public IReadOnlyDictionary<string, int> SectionTokens { get; init; } = PromptSections.DefaultTokens;

    /// <summary>Characters of the parent's code shown (longer code is cut in the middle).</summary>
    public int MaxCodeChars { get; init; } = 40_000;

    /// <summary>Characters of evaluator artifacts and feedback shown per program.</summary>
    public int MaxArtifactChars { get; init; } = 4_000;

    /// <summary>Characters of each error shown.</summary>
    public int MaxErrorChars { get; init; } = 1_000;

    /// <summary>Characters of the meta-memory summary shown.</summary>
    public int MaxMetaChars { get; init; } = 3_000;
}
