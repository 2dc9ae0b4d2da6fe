namespace EvoCode.Evolver.Engine;

/// <summary>
/// One slot's timeline (issue 23): each part of the time split is a lap, measured from where the part before it
/// ended instead of by a stopwatch of its own, so the stretches between parts (a thread waking, a diff built
/// between the screen and the store, a preemption under load) land in the part they end in rather than in none.
/// With one proposal and one evaluation in flight the run's parts therefore tile its wall time.
/// </summary>
internal sealed class SlotClock(TimeProvider time, long start)
{
    /// <summary>Where the current part started (a <see cref="TimeProvider"/> timestamp).</summary>
    public long Mark { get; private set; } = start;

    public static SlotClock StartNow(TimeProvider time) => new(time, time.GetTimestamp());

    /// <summary>Ends the current part: its milliseconds, and the next part starts now.</summary>
    public double Lap()
    {
        var now = time.GetTimestamp();
        var ms = time.GetElapsedTime(Mark, now).TotalMilliseconds;
        Mark = now;
        return ms;
    }
}
