using EvoCode.Evaluators.Contract;

namespace EvoCode.Sandbox.Protocol;

/// <summary>A frame from a worker: readiness, the end of compilation, or the end of a request.</summary>
/// <param name="Stage"><see cref="ResponseStages"/>.</param>
/// <param name="Nonce">The request's nonce (empty for <see cref="ResponseStages.Ready"/>).</param>
/// <param name="Outcome">The outcome, on <see cref="ResponseStages.Done"/>.</param>
/// <param name="Output">Harness output JSON when the outcome is Ok.</param>
/// <param name="Log">The candidate's capped log.</param>
/// <param name="Diagnostics">Compiler and policy diagnostics.</param>
/// <param name="Error">Why the request failed.</param>
/// <param name="CompileMs">Time spent compiling and checking.</param>
/// <param name="RunMs">Time spent running.</param>
/// <param name="PeakMemoryBytes">Peak resident memory of the worker during the run.</param>
/// <param name="Recycle">The worker asks to be replaced (its state may be tainted).</param>
/// <param name="Image">The emitted assembly, on a check that passed (the pool keeps it for the runs of the same source).</param>
/// <param name="Compiled">Whether Roslyn compiled the source for this request (false when a given image was loaded).</param>
/// <param name="ReferenceSet">On <see cref="ResponseStages.Ready"/>: the identity of the worker's compiler, policy and references;
/// a kept compilation is only valid for workers that report the same.</param>
internal sealed record WorkerResponse(
    string Stage,
    string Nonce,
    RunOutcome? Outcome = null,
    string? Output = null,
    string? Log = null,
    IReadOnlyList<SourceDiagnostic>? Diagnostics = null,
    string? Error = null,
    double CompileMs = 0,
    double RunMs = 0,
    long? PeakMemoryBytes = null,
    bool Recycle = false,
    byte[]? Image = null,
    bool Compiled = false,
    string? ReferenceSet = null);

/// <summary>Response stages.</summary>
internal static class ResponseStages
{
    /// <summary>Sent once after start-up and warm-up.</summary>
    public const string Ready = "ready";

    /// <summary>Compilation passed; the run starts now (the pool switches to the run deadline).</summary>
    public const string Compiled = "compiled";

    /// <summary>The request is finished.</summary>
    public const string Done = "done";
}
