namespace EvoCode.Evolver.Llm;

/// <summary>Builds runs' operators from the configured models and an optional compile check.</summary>
internal sealed class LanguageModelOperatorFactory(LanguageModelCatalog catalog, ICodeCheck? check = null) : ILanguageModelOperatorFactory
{
    public bool HasModels => !catalog.IsEmpty;

    public IReadOnlyList<string> ModelNames => catalog.Names;

    public string Status => HasModels ? $"{catalog.Names.Count} model(s): {string.Join(", ", catalog.Names)}" : "no models";

    public LanguageModelRun CreateRun(LanguageModelRunSettings settings, Guid runId, string taskDescription, string? ensembleState = null, ModelLedger? ledger = null)
    {
        ledger ??= ModelLedger.Unlimited();
        ArgumentNullException.ThrowIfNull(settings);
        if (!HasModels)
        {
            throw new InvalidOperationException("No language models are configured (section LanguageModels:Models); use the built-in operators.");
        }

        var ensembleSettings = settings.Ensemble.Models.Count > 0
            ? settings.Ensemble
            : settings.Ensemble with { Models = catalog.Names.ToDictionary(n => n, _ => 1.0, StringComparer.Ordinal) };
        var unknown = ensembleSettings.Models.Keys.Where(n => !catalog.Contains(n)).ToList();
        if (settings.MetaModel is { } meta && !catalog.Contains(meta))
        {
            unknown.Add(meta);
        }

        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Unknown model(s) {string.Join(", ", unknown)}; configured: {string.Join(", ", catalog.Names)}.", nameof(settings));
        }

        var unknownOperators = settings.OperatorWeights.Keys.Except(LanguageModelRunSettings.OperatorNames, StringComparer.Ordinal).ToList();
        if (unknownOperators.Count > 0)
        {
            throw new ArgumentException($"Unknown operator(s) {string.Join(", ", unknownOperators)}; known: {string.Join(", ", LanguageModelRunSettings.OperatorNames)}.", nameof(settings));
        }

        var ensemble = new ModelEnsemble(ensembleSettings, ensembleState);
        var prompts = new PromptLibrary(settings.Prompts.Templates);
        LanguageModelOperator[] operators =
        [
            new DiffOperator(catalog, ensemble, prompts, settings, ledger, check),
            new RewriteOperator(catalog, ensemble, prompts, settings, ledger, check),
            new CrossoverOperator(catalog, ensemble, prompts, settings, ledger, check),
            new FixOperator(catalog, ensemble, prompts, settings, ledger, check),
        ];
        var metaModel = settings.MetaModel ?? ensembleSettings.Models.Keys.Order(StringComparer.Ordinal).First();
        var memory = new MetaMemory(catalog[metaModel], prompts, settings.Prompts, runId, taskDescription, ledger);
        return new LanguageModelRun(ensemble, operators, memory);
    }
}
