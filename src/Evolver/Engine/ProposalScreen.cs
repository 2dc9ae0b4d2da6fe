using System.Diagnostics;
using EvoCode.Evolver.Llm;
using EvoCode.Evolver.Mutation;
using EvoCode.Evolver.Search;

namespace EvoCode.Evolver.Engine;

/// <summary>
/// The proposal screen: a chain of checks, cheapest first, that keeps evaluations for programs worth one
/// (the operator produced code, it is not too long, it kept the frozen parts, it is new, it is not a near copy
/// of a parent, it compiles).
/// </summary>
internal sealed class ProposalScreen(RunState state, ICodeCheck? compileScreen, EngineOptions options)
{
    /// <summary>Why the proposal is not worth an evaluation (null when it is), its fingerprint when it is, and what the screen took.</summary>
    /// <param name="parentFingerprints">Fingerprints of this slot's parents, computed once per slot rather than once per attempt.</param>
    public async Task<ScreenVerdict> ScreenAsync(
        Proposal proposal, MutationRequest request, Dictionary<Guid, CodeFingerprint> parentFingerprints, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var cached = false;
        var (rejection, fingerprint) = await ScreenCoreAsync(proposal, request, parentFingerprints, c => cached = c, cancellationToken);
        return new ScreenVerdict(rejection, fingerprint, Stopwatch.GetElapsedTime(started).TotalMilliseconds, cached);
    }

    private async Task<(string? Rejection, CodeFingerprint? Fingerprint)> ScreenCoreAsync(
        Proposal proposal, MutationRequest request, Dictionary<Guid, CodeFingerprint> parentFingerprints, Action<bool> compileCached, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(parentFingerprints);
        if (!proposal.Succeeded)
        {
            return ("operator-failed", null);
        }

        if (proposal.Source!.Length > options.MaxSourceLength)
        {
            return ("too-long", null);
        }

        if (!EvolveBlocks.TryParse(request.Parent.Source, state.Language, out var parentBlocks, out _) || !parentBlocks.FrozenPartsMatch(proposal.Source))
        {
            return ("outside-markers", null);
        }

        var fingerprint = CodeFingerprint.Of(proposal.Source, state.Language);
        await state.Lock.WaitAsync(cancellationToken);
        try
        {
            if (state.SeenHashes.Contains(fingerprint.Hash))
            {
                return ("duplicate", null);
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

        if (parents.Any(p => Of(p).Similarity(fingerprint) >= state.Settings.NearDuplicateThreshold))
        {
            return ("near-duplicate", null);
        }

        if (compileScreen is not null)
        {
            var check = await compileScreen.CheckWithCacheFlagAsync(proposal.Source, cancellationToken);
            compileCached(check.Cached);
            if (check.Diagnostics.Count > 0)
            {
                return ("compile", null);
            }
        }

        return (null, fingerprint);
    }
}

/// <summary>What <see cref="ProposalScreen.ScreenAsync"/> decided and what it took.</summary>
/// <param name="Rejection">Why the proposal is not worth an evaluation; null when it is.</param>
/// <param name="Fingerprint">The proposal's fingerprint when it passed.</param>
/// <param name="ElapsedMs">The screen's time, the sandbox's compile check included.</param>
/// <param name="Cached">The sandbox reused an earlier compile of the same source.</param>
internal sealed record ScreenVerdict(string? Rejection, CodeFingerprint? Fingerprint, double ElapsedMs, bool Cached);
