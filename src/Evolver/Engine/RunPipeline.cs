using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace EvoCode.Evolver.Engine;

/// <summary>
/// The steady-state pipeline of one loop attempt: proposal workers store pending children and put their ids on a
/// bounded channel, evaluation workers take them to the evaluation stage. Programs left pending by a crash or a
/// pause go first, each exactly once. With one proposal and one evaluation in flight the two go in lockstep, so a
/// run with a fixed seed is reproducible, and each slot's clock starts where the one before it stopped (the time
/// split tiles the run's wall time, handovers included). A worker survives its own failed iterations with backoff;
/// one that gives up stops the others, and the loop is rebuilt from the store.
/// </summary>
internal sealed partial class RunPipeline(
    RunState state,
    RunStore store,
    EvaluationStage evaluation,
    IslandMigration migration,
    MetaMemorySchedule meta,
    ProposalStage proposals,
    BudgetGuard budget,
    TimeProvider time,
    ILogger logger)
{
    /// <summary>Failed iterations in a row a worker survives (with backoff) before the loop gives up on this attempt.</summary>
    private const int MaxFailedIterations = 5;

    /// <param name="since">Where the pipeline's time starts: the end of the last part the loop counted before it.</param>
    public async Task RunAsync(long since, CancellationToken stop)
    {
        var settings = state.Settings;
        var lockstep = settings.ProposalConcurrency <= 1 && settings.EvaluationConcurrency <= 1;
        var queue = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(Math.Max(1, settings.EvaluationConcurrency))
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = settings.EvaluationConcurrency <= 1,
        });

        // A worker that gives up stops the others, so the loop can be retried from the store.
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var evaluationWorkers = Enumerable.Range(0, Math.Max(1, settings.EvaluationConcurrency))
            .Select(_ => Task.Run(() => EvaluationWorkerAsync(queue.Reader, failed), CancellationToken.None))
            .ToList();
        try
        {
            // Programs stored before a crash or a pause are evaluated first, each exactly once.
            foreach (var id in await store.PendingAsync(stop))
            {
                var item = new WorkItem(id, lockstep ? since : time.GetTimestamp());
                await queue.Writer.WriteAsync(item, stop);
                if (lockstep)
                {
                    since = await item.Done.Task.WaitAsync(stop);
                }
            }

            var proposers = Enumerable.Range(0, Math.Max(1, settings.ProposalConcurrency))
                .Select(_ => Task.Run(() => ProposalWorkerAsync(queue.Writer, lockstep, since, failed), CancellationToken.None))
                .ToList();
            await Task.WhenAll(proposers);
        }
        finally
        {
            queue.Writer.TryComplete();
            await Task.WhenAll(evaluationWorkers);
        }

        stop.ThrowIfCancellationRequested();
    }

    /// <summary>A program on its way to an evaluation: where its queue wait starts, and when its evaluation slot ended.</summary>
    private sealed class WorkItem(Guid candidateId, long queuedAt)
    {
        public Guid CandidateId { get; } = candidateId;

        public long QueuedAt { get; } = queuedAt;

        /// <summary>Completes with the timestamp the evaluation slot's last part ended (its commit or migrations).</summary>
        public TaskCompletionSource<long> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private async Task ProposalWorkerAsync(ChannelWriter<WorkItem> queue, bool lockstep, long since, CancellationTokenSource failed)
    {
        var stop = failed.Token;
        var failures = 0;
        // In lockstep a slot starts where the last evaluation ended, so waking up is counted (as selection); after a
        // slot that stored nothing, and whenever slots overlap, a slot starts when its worker takes it.
        long? handedOver = lockstep ? since : null;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var slotStart = handedOver ?? time.GetTimestamp();
                handedOver = null;
                // A due meta summary is part of the slot's selection.
                await meta.MaybeSummarizeAsync(stop);
                var stored = await proposals.ProposeAsync(slotStart, stop);
                failures = 0;
                if (stored is not { } child)
                {
                    if (budget.FinishReason is not null)
                    {
                        return;
                    }

                    continue;
                }

                var item = new WorkItem(child.Id, child.StoredAt);
                await queue.WriteAsync(item, stop);
                if (lockstep)
                {
                    handedOver = await item.Done.Task.WaitAsync(stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException && ++failures < MaxFailedIterations)
            {
                // One failed iteration costs one proposal, never the run; repeated failures back off, then end this attempt.
                LogIterationFailed(logger, e, state.RunId, "proposal");
                await Task.Delay(TimeSpan.FromMilliseconds(200 * Math.Pow(2, failures - 1)), time, stop);
            }
            catch
            {
                await failed.CancelAsync();
                throw;
            }
        }
    }

    private async Task EvaluationWorkerAsync(ChannelReader<WorkItem> queue, CancellationTokenSource failed)
    {
        var stop = failed.Token;
        try
        {
            await foreach (var item in queue.ReadAllAsync(stop))
            {
                var clock = new SlotClock(time, item.QueuedAt);
                try
                {
                    if (await evaluation.EvaluatePendingAsync(item.CandidateId, clock, stop))
                    {
                        await migration.MaybeMigrateAsync(clock, stop);
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The program stays pending and is evaluated on the next resume.
                    LogIterationFailed(logger, e, state.RunId, "evaluation");
                }
                finally
                {
                    item.Done.TrySetResult(clock.Mark);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Shutting down: whatever is still queued stays pending in the store.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: a {Stage} iteration failed; the run goes on")]
    private static partial void LogIterationFailed(ILogger logger, Exception exception, Guid runId, string stage);
}
