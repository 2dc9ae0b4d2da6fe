namespace EvoCode.Evolver.Llm;

/// <summary>What a run's prompts may contain and how large they may grow. A problem sets these and may override any template by name.</summary>
public sealed record PromptSettings
{
    /// <summary>Whether the problem wants the target value in prompts (off by default: it leaks into code otherwise).</summary>
    public bool ShowTarget { get; init; }

    /// <summary>The target score, shown only when <see cref="ShowTarget"/> is set; otherwise scrubbed from every text of a prompt except program code.</summary>
    public double? TargetValue { get; init; }

    /// <summary>Template overrides by name (system, diff, rewrite, crossover, fix, feedback, meta) in Semantic Kernel template syntax.</summary>
    public IReadOnlyDictionary<string, string> Templates { get; init; } = new Dictionary<string, string>();

    /// <summary>Characters of the parent's code shown (longer code is cut in the middle).</summary>
    public int MaxCodeChars { get; init; } = 40_000;

    /// <summary>Characters of each inspiration's code shown.</summary>
    public int MaxInspirationChars { get; init; } = 8_000;

    /// <summary>Characters of evaluator artifacts and feedback shown per program.</summary>
    public int MaxArtifactChars { get; init; } = 4_000;

    /// <summary>Characters of each error shown.</summary>
    public int MaxErrorChars { get; init; } = 1_000;

    /// <summary>Inspirations shown at most.</summary>
    public int MaxInspirations { get; init; } = 3;

    /// <summary>Recent failures shown at most.</summary>
    public int MaxFailures { get; init; } = 3;

    /// <summary>Characters of the meta-memory summary shown.</summary>
    public int MaxMetaChars { get; init; } = 3_000;
}
