namespace EvoCode.Evolver.Engine;

/// <summary>
/// Wakes live subscribers when a run stores new events. The events themselves are in the database; this only
/// says "look again", so a subscriber that misses a wake-up loses nothing.
/// </summary>
public sealed class RunEventHub
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, TaskCompletionSource> _waiters = [];

    public void Notify(Guid runId)
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            if (_waiters.Remove(runId, out waiter) is false)
            {
                return;
            }
        }

        waiter.TrySetResult();
    }

    /// <summary>Completes at the next notification for the run, or after <paramref name="timeout"/>.</summary>
    public async Task WaitAsync(Guid runId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task wait;
        lock (_gate)
        {
            if (!_waiters.TryGetValue(runId, out var waiter))
            {
                waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters[runId] = waiter;
            }

            wait = waiter.Task;
        }

        try
        {
            await wait.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            // A timeout is a normal wake-up: the caller polls the store either way.
        }
    }
}
