namespace EvoCode.Evolver.Llm;

/// <summary>A run's language-model settings: its ensemble, its operator mix, its prompts and the bounded retries.</summary>
public sealed record LanguageModelRunSettings
{
    /// <summary>The operator names.</summary>
    public static IReadOnlyList<string> OperatorNames { get; } = [DiffOperator.OperatorName, RewriteOperator.OperatorName, CrossoverOperator.OperatorName, FixOperator.OperatorName];

    /// <summary>How the model is picked; no models listed means every configured model with weight 1.</summary>
    public EnsembleSettings Ensemble { get; init; } = new();

    /// <summary>
    /// Operator weights (diff, rewrite, crossover, fix), drawn as configured. The engine's operator policy lets a
    /// drawn fix mend only a recent failure, within the run's fix share and depth; crossover needs a second parent.
    /// Defaults follow ShinkaEvolve's 0.6/0.3/0.1, with fix at 0.1.
    /// </summary>
    public IReadOnlyDictionary<string, double> OperatorWeights { get; init; } = new Dictionary<string, double>
    {
        [DiffOperator.OperatorName] = 0.6,
        [RewriteOperator.OperatorName] = 0.3,
        [CrossoverOperator.OperatorName] = 0.1,
        [FixOperator.OperatorName] = 0.1,
    };

    /// <summary>Prompt contents and overrides.</summary>
    public PromptSettings Prompts { get; init; } = new();

    /// <summary>Replies sent back for a truncated reply or an edit that does not apply, per proposal.</summary>
    public int EditRetries { get; init; } = 2;

    /// <summary>Replies sent back for an edit that does not compile, per proposal (only with an <see cref="ICodeCheck"/>).</summary>
    public int CompileRetries { get; init; } = 2;

    /// <summary>Diagnostics shown to the model per compile retry.</summary>
    public int MaxDiagnostics { get; init; } = 20;

    /// <summary>The model that writes meta-memory summaries; the first ensemble model when unset.</summary>
    public string? MetaModel { get; init; }
}
