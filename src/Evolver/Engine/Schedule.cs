namespace EvoCode.Evolver.Engine;

/// <summary>Every-N schedules (migration, meta-memory) counted in evaluations.</summary>
internal static class Schedule
{
    /// <summary>The next multiple of <paramref name="interval"/> above <paramref name="value"/>; never for a non-positive interval.</summary>
    public static long NextMultiple(long value, int interval) => interval <= 0 ? long.MaxValue : ((value / interval) + 1) * interval;
}
