using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace EvoCode.Evolver.Engine;

/// <summary>
/// The claim one run loop holds: the run and the owner epoch it was granted (ADR-021). Every write of the loop
/// saves through it; the store refuses a write whose epoch is no longer the run's (the run row's
/// <see cref="Run.OwnerEpoch"/> is a concurrency token) or that would move a program out of Pending a second
/// time. A refused write is discarded and logged, and the loop is stopped at once.
/// </summary>
internal sealed partial class RunFence(Guid runId, long epoch, CancellationTokenSource stop, ILogger logger)
{
    public Guid RunId { get; } = runId;

    /// <summary>The epoch this loop was granted; its writes land only while the run row still has it.</summary>
    public long Epoch { get; } = epoch;

    /// <summary>Whether a write of this loop was refused: someone else owns the run now.</summary>
    public bool IsLost { get; private set; }

    /// <summary>Saves a unit of work of the loop; when the fence refuses it, nothing of it lands and the loop stops.</summary>
    public async Task SaveAsync(EvoCodeDbContext db, string write, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException e)
        {
            var what = string.Join(", ", e.Entries.Select(entry => entry.Metadata.ClrType.Name).Distinct());
            throw Lose(write, what);
        }
    }

    /// <summary>Marks the claim lost (a write was refused or the run row has another epoch), logs it and stops the loop.</summary>
    public RunFenceLostException Lose(string write, string refusedBy)
    {
        IsLost = true;
        LogFenceLost(logger, RunId, write, Epoch, refusedBy);
        try
        {
            stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The loop already ended.
        }

        return new RunFenceLostException(RunId, Epoch, write, stop.Token);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: the {Write} was discarded: owner epoch {Epoch} no longer holds the run ({RefusedBy} refused it); this loop stops")]
    private static partial void LogFenceLost(ILogger logger, Guid runId, string write, long epoch, string refusedBy);
}

/// <summary>
/// A write of a run loop was refused because another claim owns the run. It is a cancellation of the loop (the
/// loop's stop token is cancelled before it is thrown), so every stage unwinds as on a pause, and nothing retries it.
/// </summary>
public sealed class RunFenceLostException(Guid runId, long epoch, string write, CancellationToken token)
    : OperationCanceledException($"Run {runId}: the {write} of owner epoch {epoch} was refused; another claim owns the run.", null, token);
