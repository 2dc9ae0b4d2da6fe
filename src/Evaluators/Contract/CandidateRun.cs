namespace EvoCode.Evaluators.Contract;

/// <summary>The result of one sandboxed run: raw output only. Scoring happens elsewhere.</summary>
/// <param name="Outcome">How the run ended.</param>
/// <param name="Output">The harness's raw output as JSON when <paramref name="Outcome"/> is <see cref="RunOutcome.Ok"/>.</param>
/// <param name="Log">What the candidate wrote through the harness's output channel, capped.</param>
/// <param name="Diagnostics">Compiler or policy diagnostics, for the model.</param>
/// <param name="Error">A human-readable reason when the run did not succeed.</param>
/// <param name="Elapsed">Wall time of the run inside the worker.</param>
/// <param name="PeakMemoryBytes">Peak memory of the worker during the run, when known.</param>
public sealed record CandidateRun(
    RunOutcome Outcome,
    string? Output,
    string? Log,
    IReadOnlyList<SourceDiagnostic> Diagnostics,
    string? Error,
    TimeSpan Elapsed,
    long? PeakMemoryBytes = null)
{
    /// <summary>Compiling and checking before the run, as the caller saw it (the source's trip to the worker included).</summary>
    public TimeSpan CompileTime { get; init; }

    /// <summary>Waiting for a free worker before the request was sent.</summary>
    public TimeSpan WorkerWait { get; init; }

    /// <summary>Whether the sandbox reused an earlier compile of the same source.</summary>
    public bool CompileCached { get; init; }

    /// <summary>A run that failed before producing output.</summary>
    public static CandidateRun Failed(RunOutcome outcome, string error, TimeSpan elapsed, IReadOnlyList<SourceDiagnostic>? diagnostics = null) =>
        new(outcome, null, null, diagnostics ?? [], error, elapsed);
}
