using EvoCode.Evolver.Mutation;

namespace EvoCode.Evolver.Llm;

/// <summary>What a run gets from the language-model layer: its operators, their mix, its ensemble and its meta-memory.</summary>
public sealed class LanguageModelRun
{
    private readonly LanguageModelRunSettings _settings;

    internal LanguageModelRun(LanguageModelRunSettings settings, ModelEnsemble ensemble, IReadOnlyList<LanguageModelOperator> operators, MetaMemory metaMemory)
    {
        _settings = settings;
        Ensemble = ensemble;
        Operators = operators;
        MetaMemory = metaMemory;
    }

    /// <summary>The run's model choice; call <see cref="ModelEnsemble.Reward"/> after each child is evaluated and store <see cref="ModelEnsemble.SaveState"/>.</summary>
    public ModelEnsemble Ensemble { get; }

    /// <summary>diff, rewrite, crossover and fix.</summary>
    public IReadOnlyList<LanguageModelOperator> Operators { get; }

    /// <summary>Writes the run's notes every N generations.</summary>
    public MetaMemory MetaMemory { get; }

    /// <summary>The operator of that name.</summary>
    public IMutationOperator this[string name] => Operators.First(o => o.Name == name);

    /// <summary>
    /// Picks an operator by the run's mix: fix for a parent that failed (when fix has weight), otherwise
    /// diff, rewrite or crossover by weight (crossover only when <paramref name="secondParentAvailable"/>).
    /// Returns <c>null</c> when no operator fits (all weights zero), so the engine can use a built-in one.
    /// </summary>
    public IMutationOperator? PickOperator(Random random, ParentProgram parent, bool secondParentAvailable)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(parent);
        if ((parent.Error is not null || parent.Score is null) && Weight(FixOperator.OperatorName) > 0)
        {
            return this[FixOperator.OperatorName];
        }

        var candidates = Operators.Where(o => o.Name != FixOperator.OperatorName && (secondParentAvailable || !o.NeedsSecondParent) && Weight(o.Name) > 0).ToList();
        var total = candidates.Sum(o => Weight(o.Name));
        var x = random.NextDouble() * total;
        foreach (var candidate in candidates)
        {
            x -= Weight(candidate.Name);
            if (x < 0)
            {
                return candidate;
            }
        }

        return candidates.Count > 0 ? candidates[^1] : null;
    }

    private double Weight(string name) => _settings.OperatorWeights.TryGetValue(name, out var w) && double.IsFinite(w) ? Math.Max(0, w) : 0;
}
