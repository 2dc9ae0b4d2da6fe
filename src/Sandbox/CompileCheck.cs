using EvoCode.Evaluators.Contract;

namespace EvoCode.Sandbox;

/// <summary>The verdict of <see cref="ICandidateCompiler.CheckAsync"/>.</summary>
/// <param name="Outcome"><see cref="RunOutcome.Ok"/>, <see cref="RunOutcome.CompileError"/> or <see cref="RunOutcome.PolicyViolation"/>
/// (or <see cref="RunOutcome.Crashed"/> if the compiler itself died on the source).</param>
/// <param name="Diagnostics">Errors with line and column, for the model.</param>
public sealed record CompileCheck(RunOutcome Outcome, IReadOnlyList<SourceDiagnostic> Diagnostics)
{
    /// <summary>Whether the source compiled and passed the policy.</summary>
    public bool IsOk => Outcome == RunOutcome.Ok;

    /// <summary>Compiles this check cost: 1 when a worker compiled the source, 0 when a kept verdict answered.</summary>
    public int Compiles { get; init; }

    /// <summary>Whether a kept verdict of the same source answered instead of a worker.</summary>
    public bool CompileCacheHit { get; init; }
}
