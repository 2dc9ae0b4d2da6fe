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

    /// <summary>Compiles this run cost in the sandbox: 1 when it compiled the source, 0 when a kept compilation answered.</summary>
    public int Compiles { get; init; }

    /// <summary>Whether a kept compilation of the same source (usually the screen's) was used instead of compiling.</summary>
    public bool CompileCacheHit { get; init; }

    /// <summary>
    /// Compiles of this exact source the sandbox has made so far, this run's included (the operator's check, the
    /// screen's, earlier runs); 1 means the program was compiled once. 0 when the sandbox compiled nothing (a refusal
    /// before compiling).
    /// </summary>
    public int SourceCompiles { get; init; }

    /// <summary>A run that failed before producing output.</summary>
    public static CandidateRun Failed(RunOutcome outcome, string error, TimeSpan elapsed, IReadOnlyList<SourceDiagnostic>? diagnostics = null) =>
        new(outcome, null, null, diagnostics ?? [], error, elapsed);
}
