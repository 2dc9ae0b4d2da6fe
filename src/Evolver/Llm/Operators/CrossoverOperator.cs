using EvoCode.Evolver.Mutation;

namespace EvoCode.Evolver.Llm;

/// <summary>Combines two parents: the model rewrites the first parent's evolve blocks using ideas of both.</summary>
public sealed class CrossoverOperator(LanguageModelCatalog catalog, ModelEnsemble ensemble, PromptLibrary prompts, LanguageModelRunSettings settings, ModelLedger ledger, ICodeCheck? check = null)
    : LanguageModelOperator(catalog, ensemble, prompts, settings, ledger, check)
{
    /// <summary>The stored operator name.</summary>
    public const string OperatorName = "crossover";

    /// <inheritdoc />
    public override string Name => OperatorName;

    /// <inheritdoc />
    public override bool NeedsSecondParent => true;

    /// <inheritdoc />
    protected override EditResult Edit(MutationRequest request, string reply) => RewriteParser.Apply(request.Parent.Source, reply, request.Language);
}
