using EvoCode.Evolver.Mutation;

namespace EvoCode.Evolver.Llm;

/// <summary>Sends a failed program back with its error and the evaluator's feedback, and applies the model's SEARCH/REPLACE fix.</summary>
public sealed class FixOperator(LanguageModelCatalog catalog, ModelEnsemble ensemble, PromptLibrary prompts, LanguageModelRunSettings settings, ModelLedger ledger, ICodeCheck? check = null)
    : LanguageModelOperator(catalog, ensemble, prompts, settings, ledger, check)
{
    /// <summary>The stored operator name.</summary>
    public const string OperatorName = "fix";

    /// <inheritdoc />
    public override string Name => OperatorName;

    /// <inheritdoc />
    protected override EditResult Edit(MutationRequest request, string reply) => DiffOperator.ApplyDiff(request, reply);
}
