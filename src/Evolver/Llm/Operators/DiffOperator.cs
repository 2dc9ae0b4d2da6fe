using EvoCode.Evolver.Mutation;

namespace EvoCode.Evolver.Llm;

/// <summary>SEARCH/REPLACE edits inside the evolve blocks (AlphaEvolve's diff mutation).</summary>
public sealed class DiffOperator(LanguageModelCatalog catalog, ModelEnsemble ensemble, PromptLibrary prompts, LanguageModelRunSettings settings, ModelLedger ledger, ICodeCheck? check = null)
    : LanguageModelOperator(catalog, ensemble, prompts, settings, ledger, check)
{
    /// <summary>The stored operator name.</summary>
    public const string OperatorName = "diff";

    /// <inheritdoc />
    public override string Name => OperatorName;

    /// <inheritdoc />
    protected override EditResult Edit(MutationRequest request, string reply) => ApplyDiff(request, reply);

    internal static EditResult ApplyDiff(MutationRequest request, string reply) =>
        DiffParser.TryParse(reply, out var blocks, out var error) ? DiffApplier.Apply(request.Parent.Source, blocks, request.Language) : EditResult.Fail(error!);
}
