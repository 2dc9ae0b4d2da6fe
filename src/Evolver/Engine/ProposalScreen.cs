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
    /// <summary>
    /// Why the proposal is not worth an evaluation (null when it is), and its fingerprint and code embedding (when
    /// the run screens by meaning) when it is. The screen's time is the caller's lap (<see cref="SlotClock"/>).
    /// </summary>
    /// <param name="parentFingerprints">Fingerprints of this slot's parents, computed once per slot rather than once per attempt.</param>
    public async Task<ScreenVerdict> ScreenAsync(
        Proposal proposal, MutationRequest request, Dictionary<Guid, CodeFingerprint> parentFingerprints, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(parentFingerprints);
        if (!proposal.Succeeded)
        {
            return Rejected("operator-failed");
        }

        if (proposal.Source!.Length > options.MaxSourceLength)
        {
            return Rejected("too-long");
        }

        if (!EvolveBlocks.TryParse(request.Parent.Source, state.Language, out var parentBlocks, out _) || !parentBlocks.FrozenPartsMatch(proposal.Source))
        {
            return Rejected("outside-markers");
        }

        var fingerprint = CodeFingerprint.Of(proposal.Source, state.Language);
        await state.Lock.WaitAsync(cancellationToken);
        try
        {
            if (state.SeenHashes.Contains(fingerprint.Hash))
            {
                return Rejected("duplicate");
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
            return Rejected("near-duplicate");
        }

        float[]? embedding = null;
        if (novelty is not null)
        {
            (var rejection, embedding) = await novelty.ScreenAsync(proposal.Source, request.Parent.Id, cancellationToken);
            if (rejection is not null)
            {
                return Rejected(rejection);
            }
        }

        var compiled = compileScreen is null ? null : await compileScreen.CheckWithCacheFlagAsync(proposal.Source, cancellationToken);
        if (compiled is { Diagnostics.Count: > 0 })
        {
            return Rejected("compile", compiled.Cached);
        }

        return new ScreenVerdict(null, fingerprint, embedding is null ? null : CodeEmbedder.ToBytes(embedding), compiled?.Cached ?? false);
    }

    private static ScreenVerdict Rejected(string reason, bool cached = false) => new(reason, null, null, cached);
}

/// <summary>What <see cref="ProposalScreen.ScreenAsync"/> decided.</summary>
/// <param name="Rejection">Why the proposal is not worth an evaluation; null when it is.</param>
/// <param name="Fingerprint">The proposal's fingerprint when it passed.</param>
/// <param name="Embedding">The proposal's code embedding when it passed and the run screens by meaning.</param>
/// <param name="Cached">The sandbox reused an earlier compile of the same source.</param>
internal sealed record ScreenVerdict(string? Rejection, CodeFingerprint? Fingerprint, byte[]? Embedding, bool Cached);
