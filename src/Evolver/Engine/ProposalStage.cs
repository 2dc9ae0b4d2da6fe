using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Mutation;
using EvoCode.Evolver.Search;
using EvoCode.Evolver.Telemetry;

namespace EvoCode.Evolver.Engine;

/// <summary>
/// One proposal slot: take a slot of the budget, sample parents, build the request, let the operator policy pick
/// an operator, screen what it proposes and store the child as pending (or the rejection). Each screening attempt
/// is one proposal with its own id, which becomes the child's id and links its model calls.
/// </summary>
internal sealed class ProposalStage(
    RunState state,
    BudgetGuard budget,
    ParentSampling sampling,
    RequestBuilder requests,
    OperatorPolicy policy,
    ProposalScreen screen,
    RunStore store,
    EngineOptions options)
{
    /// <summary>
    /// Samples, proposes and screens until one child is stored (its id, and where its store ended: its queue wait
    /// starts there), the slot gives up, or a budget ends the run (null for both).
    /// </summary>
    /// <param name="slotStart">Where the slot's time starts (a <see cref="TimeProvider"/> timestamp): each part is
    /// measured from the end of the one before, so with one slot of each the parts tile the run's wall time.</param>
    public async Task<(Guid Id, long StoredAt)?> ProposeAsync(long slotStart, CancellationToken stop)
    {
        var clock = new SlotClock(state.Time, slotStart);
        using var trace = EvoCodeTelemetry.StartCandidate(state.RunId);
        SelectedParents selected;
        await state.Lock.WaitAsync(stop);
        try
        {
            if (budget.TryTakeSlot() is not null)
            {
                // The last slot found the budget spent: its time is still the run's.
                state.Run.Statistics.SelectMs += clock.Lap();
                return null;
            }

            using (EvoCodeTelemetry.StartStage("select"))
            {
                selected = sampling.Select();
            }
        }
        finally
        {
            state.Lock.Release();
        }

        var stored = false;
        try
        {
            var prepared = await requests.BuildAsync(selected, stop);
            var selectMs = clock.Lap();
            var parentFingerprints = new Dictionary<Guid, CodeFingerprint>();
            for (var attempt = 0; attempt < options.MaxScreeningAttempts && !budget.HaltsSlotsInFlight; attempt++)
            {
                stop.ThrowIfCancellationRequested();
                if (policy.Pick(selected.Random, prepared.Request.SecondParent is not null, prepared.FixTargets) is not { } choice)
                {
                    continue;
                }

                var request = prepared.Request with { Parent = choice.FixTarget ?? prepared.Request.Parent, ProposalId = Guid.NewGuid() };
                var proposal = await EvoCodeTelemetry.TraceProposeAsync(() => choice.Operator.ProposeAsync(request, stop));
                // An operator's own evaluations (tuning trials) are already counted as compile, run and score.
                var proposeMs = clock.Lap() - proposal.EvaluatedMs;
                ScreenVerdict screened;
                using (EvoCodeTelemetry.StartStage("screen"))
                {
                    screened = await screen.ScreenAsync(proposal, request, parentFingerprints, stop);
                }

                var (rejection, fingerprint, embedding) = (screened.Rejection, screened.Fingerprint, screened.Embedding);
                var proposing = new CandidateTimings(proposeMs, SelectMs: selectMs, ScreenMs: clock.Lap(), ScreenCached: screened.Cached);
                selectMs = 0; // the slot's selection is counted once, with its first attempt

                if (rejection is not null)
                {
                    await store.RecordRejectionAsync(proposal, request.ProposalId, rejection, proposing, clock, stop);
                    EvoCodeTelemetry.RecordProposal(proposal.Operator, rejection);
                    if (budget.SpendingReason() is { } spent)
                    {
                        budget.End(spent);
                    }

                    continue;
                }

                var candidate = Child(request, proposal, fingerprint!, embedding, selected, choice.Operator.NeedsSecondParent);
                await store.StoreProposalAsync(candidate, proposing, clock, stop);
                EvoCodeTelemetry.Remember(candidate.Id, trace);
                budget.ChildStored();
                stored = true;
                return (candidate.Id, clock.Mark);
            }

            budget.SlotGaveUp();
            return null;
        }
        finally
        {
            if (!stored)
            {
                budget.ReturnSlot();
                await state.Lock.WaitAsync(CancellationToken.None);
                sampling.Release(selected);
                state.Lock.Release();
            }
        }
    }

    private Candidate Child(MutationRequest request, Proposal proposal, CodeFingerprint fingerprint, byte[]? embedding, SelectedParents selected, bool needsSecondParent)
    {
        var parentId = request.Parent.Id;
        var candidate = new Candidate
        {
            Id = request.ProposalId,
            RunId = state.RunId,
            Island = selected.Parent.Island,
            Generation = selected.Parent.Generation + 1,
            ParentId = parentId,
            Parents = [new CandidateParent { ParentId = parentId, Position = 0 }],
            Operator = proposal.Operator,
            Model = proposal.Model,
            Source = proposal.Source!,
            CodeHash = fingerprint.Hash,
            Embedding = embedding,
            State = CandidateState.Pending,
            Prompt = proposal.Prompt,
            Reply = proposal.Reply,
            ChangeNote = ChangeNotes.For(proposal, request.Parent.Source),
            InputTokens = proposal.InputTokens,
            OutputTokens = proposal.OutputTokens,
            Cost = proposal.Cost,
        };
        if (needsSecondParent && selected.Second is not null)
        {
            candidate.Parents.Add(new CandidateParent { ParentId = selected.Second.Id, Position = 1 });
        }

        return candidate;
    }
}
