using EvoCode.Evolver.Mutation;

namespace EvoCode.Evolver.Llm;

/// <summary>What a run gets from the language-model layer: its operators, their mix, its ensemble and its meta-memory.</summary>
public sealed class LanguageModelRun
{
    internal LanguageModelRun(ModelEnsemble ensemble, IReadOnlyList<LanguageModelOperator> operators, MetaMemory metaMemory)
    {
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
}
