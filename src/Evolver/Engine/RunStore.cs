using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Mutation;
using EvoCode.Evolver.Persistence;
using EvoCode.Evolver.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Evolver.Engine;

/// <summary>
/// The run store: one unit of work per commit of a proposal, a rejection or the run's end, each carrying the
/// run's counters and its stream events. Memory changes only once the store accepted the commit.
/// </summary>
internal sealed class RunStore(RunState state, IDbContextFactory<EvoCodeDbContext> contexts, RunEventHub hub)
{
    /// <summary>Screened-out built-in proposals carried by one commit at most; the next one commits the batch.</summary>
    private const int DeferredRejections = 64;

    /// <summary>Stores when the run first started.</summary>
    public async Task MarkStartedAsync(CancellationToken cancellationToken)
    {
        if (state.Run.StartedAt is not null)
        {
            return;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        state.Run.StartedAt = state.Time.GetUtcNow();
        db.Attach(state.Run).Property(r => r.StartedAt).IsModified = true;
        await state.Fence.SaveAsync(db, "start time", cancellationToken);
    }

    /// <summary>
    /// Stores a pending program and the run state that produced it (random state included) in one transaction;
    /// <paramref name="proposing"/> holds its select, propose and screen times; its store time is the lap of
    /// <paramref name="clock"/> that ends when the commit landed.
    /// </summary>
    public async Task StoreProposalAsync(Candidate candidate, CandidateTimings proposing, SlotClock clock, CancellationToken cancellationToken)
    {
        await state.Lock.WaitAsync(cancellationToken);
        state.Checkpoint();
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            candidate.Sequence = await NextSequenceAsync(db, cancellationToken);
            candidate.CreatedAt = state.Time.GetUtcNow();

            // Its store time is known only once the store took it: the commit of its result records it.
            candidate.Timings = proposing;
            db.Candidates.Add(candidate);

            var run = state.Run;
            run.NextSequence = candidate.Sequence + 1;
            run.Proposals++;
            var stats = run.Statistics;
            stats.For(stats.Operators, candidate.Operator).Proposed++;
            if (candidate.Model is { } model)
            {
                stats.For(stats.Models, model).Proposed++;
            }

            CountProposing(stats, proposing);
            run.RandomState = state.Random.Save();
            run.EnsembleState = state.Operators.SaveState?.Invoke() ?? run.EnsembleState;
            state.AttachCounters(db);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (candidate.Model is not null)
            {
                // The proposal's model calls are stored before it; they now point at the program they produced.
                var id = candidate.Id;
                await db.ModelCalls.Where(c => c.ProposalId == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.CandidateId, id), cancellationToken);
            }

            await state.Fence.SaveAsync(db, "proposal commit", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            state.SeenHashes.Add(candidate.CodeHash);
            var storeMs = clock.Lap();
            stats.StoreMs += storeMs;
            state.StoreTimes[candidate.Id] = storeMs;
        }
        catch
        {
            // The row did not land: memory must keep matching the store.
            state.Rollback();
            throw;
        }
        finally
        {
            state.Lock.Release();
        }

        EvoCodeTelemetry.RecordProposal(candidate.Operator, null);
    }

    /// <summary>
    /// Counts a screened-out proposal, marks its model calls with the reason and puts it on the stream with what it
    /// cost (<paramref name="proposing"/>: its select, propose and screen times). A built-in proposal spent nothing,
    /// so its counts and event ride on the next commit (up to a batch) instead of a transaction each.
    /// </summary>
    public async Task RecordRejectionAsync(Proposal proposal, Guid proposalId, string reason, CandidateTimings proposing, SlotClock clock, CancellationToken cancellationToken)
    {
        await state.Lock.WaitAsync(cancellationToken);
        var deferred = proposal.Model is null && state.DeferredEvents < DeferredRejections;
        if (!deferred)
        {
            state.Checkpoint();
        }

        try
        {
            var run = state.Run;
            run.Proposals++;
            run.Rejections++;
            var stats = run.Statistics;
            stats.Count(stats.Rejections, reason);
            var op = stats.For(stats.Operators, proposal.Operator);
            op.Proposed++;
            op.Rejected++;
            if (proposal.Model is { } model)
            {
                stats.For(stats.Models, model).Proposed++;
                stats.For(stats.Models, model).Rejected++;
            }

            CountProposing(stats, proposing);
            state.Operators.Reward?.Invoke(proposal, null, null);
            (string Kind, object Data) rejected = (RunEventKinds.Rejected, new
            {
                proposalId,
                op = proposal.Operator,
                model = proposal.Model,
                reason,
                error = proposal.Error,
                inputTokens = proposal.InputTokens,
                outputTokens = proposal.OutputTokens,
                cost = proposal.Cost,
                proposals = run.Proposals,
            });
            if (deferred)
            {
                state.DeferEvent(rejected);
                stats.StoreMs += clock.Lap();
                return;
            }

            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            state.AttachCounters(db);
            RunEvents.Add(db, state.RunId, state.Time.GetUtcNow(), rejected);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (proposal.Model is not null)
            {
                var rejection = reason.Length > 2000 ? reason[..2000] : reason;
                await db.ModelCalls.Where(c => c.ProposalId == proposalId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Rejection, rejection), cancellationToken);
            }

            await state.Fence.SaveAsync(db, "rejection commit", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            stats.StoreMs += clock.Lap();
        }
        catch when (!deferred)
        {
            // The commit did not land: memory must keep matching the store.
            state.Rollback();
            throw;
        }
        finally
        {
            state.Lock.Release();
        }

        hub.Notify(state.RunId);
    }

    /// <summary>The programs stored before a crash or a pause and not evaluated yet, in the order they were proposed.</summary>
    public async Task<List<Guid>> PendingAsync(CancellationToken cancellationToken)
    {
        var runId = state.RunId;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Candidates.AsNoTracking()
            .Where(c => c.RunId == runId && c.State == CandidateState.Pending)
            .OrderBy(c => c.Sequence)
            .Select(c => c.Id)
            .ToListAsync(cancellationToken);
    }

    private static void CountProposing(RunStatistics stats, CandidateTimings proposing)
    {
        stats.SelectMs += proposing.SelectMs;
        stats.ProposeMs += proposing.ProposeMs;
        stats.ScreenMs += proposing.ScreenMs;
        stats.ScreenCacheHits += proposing.ScreenCached ? 1 : 0;
    }

    /// <summary>
    /// Under the lock: the next free sequence number. The store is asked too (one index lookup): a commit that was
    /// cancelled after the database accepted it leaves memory one behind, and a sequence must never be handed out twice.
    /// </summary>
    public async Task<long> NextSequenceAsync(EvoCodeDbContext db, CancellationToken cancellationToken)
    {
        var runId = state.RunId;
        var stored = await db.Candidates.Where(c => c.RunId == runId).MaxAsync(c => (long?)c.Sequence, cancellationToken) ?? 0;
        return Math.Max(state.Run.NextSequence, stored + 1);
    }

    /// <summary>
    /// Ends the run, unless a user already moved it out of Running (a pause or cancel wins over a budget) or another
    /// claim owns it now (the fence: the update carries the loop's owner epoch).
    /// </summary>
    public static async Task<bool> FinishAsync(IDbContextFactory<EvoCodeDbContext> contexts, RunEventHub hub, RunFence fence, RunStatus status, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var runId = fence.RunId;
        var epoch = fence.Epoch;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var changed = await db.Runs
            .Where(r => r.Id == runId && r.OwnerEpoch == epoch && (r.Status == RunStatus.Running || r.Status == RunStatus.Pending))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, status).SetProperty(r => r.StatusReason, reason).SetProperty(r => r.FinishedAt, now), cancellationToken);
        if (changed == 0)
        {
            if (await db.Runs.AnyAsync(r => r.Id == runId && r.OwnerEpoch != epoch, cancellationToken))
            {
                fence.Lose("end of the run", "a newer owner epoch");
            }

            return false;
        }

        var kind = status == RunStatus.Failed ? RunEventKinds.Error : RunEventKinds.Status;
        RunEvents.Add(db, runId, now, (kind, new { status = status.ToString(), reason, previous = nameof(RunStatus.Running) }));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        hub.Notify(runId);
        return true;
    }

    /// <summary>
    /// Stores the counters a stopping loop holds (active time, the ledger's totals); a loop that lost its claim
    /// stores nothing (the fence logs the refusal): the new owner's counters are the truth.
    /// </summary>
    public async Task SaveCountersAsync()
    {
        await state.Lock.WaitAsync();
        try
        {
            if (state.Fence.IsLost)
            {
                return;
            }

            await using var db = await contexts.CreateDbContextAsync();
            state.AttachCounters(db);
            await state.Fence.SaveAsync(db, "final counters", CancellationToken.None);
        }
        catch (RunFenceLostException)
        {
            // Discarded and logged by the fence.
        }
        finally
        {
            state.Lock.Release();
        }
    }
}
