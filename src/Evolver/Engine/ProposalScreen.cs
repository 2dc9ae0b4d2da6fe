using EvoCode.Evolver.Llm;
using EvoCode.Evolver.Mutation;
using EvoCode.Evolver.Search;

namespace EvoCode.Evolver.Engine;

/// <summary>
/// The proposal screen: a chain of checks, cheapest first, that keeps evaluations for programs worth one
/// (the operator produced code, it is not too long, it kept the frozen parts, it is new, it is not a near copy
/// of a parent unless it is a tuned one, it is new in meaning when the run asks for that, it compiles).
/// </summary>
internal sealed class ProposalScreen(RunState state, ICodeCheck? compileScreen, EngineOptions options, SemanticNovelty? novelty = null)
{
    /// <summary>Why the proposal is not worth an evaluation (null when it is), its fingerprint when it is, and its code embedding when the run screens by meaning.</summary>
    /// <param name="parentFingerprints">Fingerprints of this slot's parents, computed once per slot rather than once per attempt.</param>
    public async Task<(string? Rejection, CodeFingerprint? Fingerprint, byte[]? Embedding)> ScreenAsync(
        Proposal proposal, MutationRequest request, Dictionary<Guid, CodeFingerprint> parentFingerprints, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(parentFingerprints);
        if (!proposal.Succeeded)
        {
            return ("operator-failed", null, null);
        }

        if (proposal.Source!.Length > options.MaxSourceLength)
        {
            return ("too-long", null, null);
        }

        if (!EvolveBlocks.TryParse(request.Parent.Source, state.Language, out var parentBlocks, out _) || !parentBlocks.FrozenPartsMatch(proposal.Source))
        {
            return ("outside-markers", null, null);
        }

        var fingerprint = CodeFingerprint.Of(proposal.Source, state.Language);
        await state.Lock.WaitAsync(cancellationToken);
        try
        {
            if (state.SeenHashes.Contains(fingerprint.Hash))
            {
                return ("duplicate", null, null);
            }
        }
        finally
        {
            state.Lock.Release();
        }

        var parents = request.SecondParent is null ? [request.Parent] : new[] { request.Parent, request.SecondParent };
        CodeFingerprint Of(ParentProgram parent)
        {
            if (!parentFingerprints.TryGetValue(parent.Id, out var known))
            {
                known = CodeFingerprint.Of(parent.Source, state.Language);
                parentFingerprints[parent.Id] = known;
            }

            return known;
        }

        // A tuned child differs from its parent only in constants by design, and its trials showed it scores higher.
        if (proposal.Operator != ConstantTuning.OperatorName && parents.Any(p => Of(p).Similarity(fingerprint) >= state.Settings.NearDuplicateThreshold))
        {
            return ("near-duplicate", null, null);
        }

        float[]? embedding = null;
        if (novelty is not null)
        {
            (var rejection, embedding) = await novelty.ScreenAsync(proposal.Source, request.Parent.Id, cancellationToken);
            if (rejection is not null)
            {
                return (rejection, null, null);
            }
        }

        if (compileScreen is not null && (await compileScreen.CheckAsync(proposal.Source, cancellationToken)).Count > 0)
        {
            return ("compile", null, null);
        }

        return (null, fingerprint, embedding is null ? null : CodeEmbedder.ToBytes(embedding));
    }
}
