using EvoCode.Evaluators.Contract;

namespace EvoCode.Sandbox;

/// <summary>The verdict of <see cref="ICandidateCompiler.CheckAsync"/>.</summary>
/// <param name="Outcome"><see cref="RunOutcome.Ok"/>, <see cref="RunOutcome.CompileError"/> or <see cref="RunOutcome.PolicyViolation"/>
/// (or <see cref="RunOutcome.Crashed"/> if the compiler itself died on the source).</param>
/// <param name="Diagnostics">Errors with line and column, for the model.</param>
/// <param name="Cached">Whether the sandbox reused an earlier compile of the same source.</param>
public sealed record CompileCheck(RunOutcome Outcome, IReadOnlyList<SourceDiagnostic> Diagnostics, bool Cached = false)
{
    /// <summary>Whether the source compiled and passed the policy.</summary>
    public bool IsOk => Outcome == RunOutcome.Ok;
}
