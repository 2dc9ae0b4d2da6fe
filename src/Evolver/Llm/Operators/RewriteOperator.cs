using EvoCode.Evolver.Mutation;

namespace EvoCode.Evolver.Llm;

/// <summary>A full rewrite of the evolve blocks; the code outside them is kept from the parent.</summary>
public sealed class RewriteOperator(LanguageModelCatalog catalog, ModelEnsemble ensemble, PromptLibrary prompts, LanguageModelRunSettings settings, ModelLedger ledger, ICodeCheck? check = null)
    : LanguageModelOperator(catalog, ensemble, prompts, settings, ledger, check)
{
    /// <summary>The stored operator name.</summary>
    public const string OperatorName = "rewrite";

    /// <inheritdoc />
    public override string Name => OperatorName;

    /// <inheritdoc />
    protected override EditResult Edit(MutationRequest request, string reply) => RewriteParser.Apply(request.Parent.Source, reply, request.Language);
}
