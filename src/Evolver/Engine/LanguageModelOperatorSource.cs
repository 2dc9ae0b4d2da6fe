using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Languages;
using EvoCode.Evolver.Llm;
using EvoCode.Evolver.Mutation;

namespace EvoCode.Evolver.Engine;

/// <summary>
/// Language-model operators for runs that name models, built-in operators for the rest. A run's operator mix
/// may combine both kinds by name ("diff", "rewrite", "crossover", "fix", "literal", ...).
/// </summary>
public sealed class LanguageModelOperatorSource(ILanguageModelOperatorFactory factory) : IOperatorSource
{
    private readonly BuiltinOperatorSource _builtin = new();

    public IReadOnlyCollection<string> ModelNames => factory.HasModels ? [.. factory.ModelNames] : [];

    public RunOperators Create(Run run, Problem problem, ModelLedger ledger)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(problem);
        var settings = run.Settings;
        if (settings.Models is not { Count: > 0 } models)
        {
            return _builtin.Create(run, problem, ledger);
        }

        if (!factory.HasModels)
        {
            throw new ArgumentException($"The run names models ({string.Join(", ", models.Keys)}) but the server has none configured: {factory.Status}");
        }

        var unknown = models.Keys.Except(factory.ModelNames, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Unknown models: {string.Join(", ", unknown)}. Configured: {string.Join(", ", factory.ModelNames)}.");
        }

        var defaults = new LanguageModelRunSettings();
        var mix = settings.Operators ?? defaults.OperatorWeights;
        var llmWeights = mix.Where(m => LanguageModelRunSettings.OperatorNames.Contains(m.Key)).ToDictionary(m => m.Key, m => m.Value);
        var llm = factory.CreateRun(
            defaults with
            {
                Ensemble = new EnsembleSettings { Policy = settings.EnsemblePolicy, Models = models },
                OperatorWeights = llmWeights,
                Prompts = defaults.Prompts with
                {
                    Templates = settings.PromptTemplates ?? defaults.Prompts.Templates,
                    SectionTokens = PromptSections.DefaultTokens.ToDictionary(
                        d => d.Key, d => settings.PromptSectionTokens?.GetValueOrDefault(d.Key, d.Value) ?? d.Value, StringComparer.Ordinal),
                    ShowTarget = settings.ShowTarget,
                    TargetValue = settings.TargetScore,
                },
            },
            run.Id,
            problem.Description,
            run.EnsembleState,
            ledger);

        var builtin = ProgramLanguages.Of(problem).Operators;
        var weighted = new List<(IMutationOperator, double)>();
        foreach (var (name, weight) in mix)
        {
            IMutationOperator? op = llm.Operators.FirstOrDefault(o => o.Name == name);
            op ??= builtin.FirstOrDefault(o => o.Name == name)
                ?? throw new ArgumentException($"Unknown operator '{name}'. Known: {string.Join(", ", LanguageModelRunSettings.OperatorNames.Concat(builtin.Select(o => o.Name)))}.");
            weighted.Add((op, weight));
        }

        return new RunOperators(weighted)
        {
            Reward = (proposal, parentScore, childScore) =>
            {
                if (proposal.Model is { } model)
                {
                    var improvement = childScore is { } c && parentScore is { } p ? Math.Max(0, c - p) : 0;
                    llm.Ensemble.Reward(model, improvement, proposal.Cost);
                }
            },
            SaveState = llm.Ensemble.SaveState,
            Summarize = async (previous, recent, ct) => await llm.MetaMemory.SummarizeAsync(
                previous,
                [.. recent.Select(r => new MetaMemoryEntry(r.Operator, r.Model, r.Score, r.ParentScore, r.Error, r.ChangeNote))],
                ct),
        };
    }
}
