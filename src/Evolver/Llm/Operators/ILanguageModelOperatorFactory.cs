namespace EvoCode.Evolver.Llm;

/// <summary>Makes a run's language-model operators. Registered by <c>AddEvoCodeLanguageModels</c>.</summary>
public interface ILanguageModelOperatorFactory
{
    /// <summary>Whether any model is configured; without one the engine uses only its built-in operators.</summary>
    bool HasModels { get; }

    /// <summary>The configured model names.</summary>
    IReadOnlyList<string> ModelNames { get; }

    /// <summary>"no models", or the configured models, for logs and the API's status.</summary>
    string Status { get; }

    /// <summary>
    /// Builds a run's operators. <paramref name="ensembleState"/> is what the run's <see cref="ModelEnsemble.SaveState"/>
    /// returned before (null for a new run). Throws <see cref="InvalidOperationException"/> when no model is configured
    /// and <see cref="ArgumentException"/> when the settings name an unknown model or template. Every call of the
    /// run's operators and meta-memory goes through <paramref name="ledger"/> (a ledger without budgets when null).
    /// </summary>
    LanguageModelRun CreateRun(LanguageModelRunSettings settings, Guid runId, string taskDescription, string? ensembleState = null, ModelLedger? ledger = null);
}
