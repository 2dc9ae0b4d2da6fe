namespace EvoCode.Evaluators.Contract;

/// <summary>Hard limits for one sandboxed run.</summary>
/// <param name="WallTime">Wall-clock limit; the process tree is killed when it passes.</param>
/// <param name="MemoryBytes">Address-space or heap limit for the run.</param>
/// <param name="MaxOutputBytes">Cap on what the candidate and its harness may write.</param>
public sealed record RunLimits(TimeSpan WallTime, long MemoryBytes, int MaxOutputBytes)
{
    /// <summary>Limits suited to a small numeric construction.</summary>
    public static RunLimits Default { get; } = new(TimeSpan.FromSeconds(10), 512L * 1024 * 1024, 1024 * 1024);
}
