using EvoCode.Evaluators.Contract;

namespace EvoCode.Sandbox.Worker.Compilation;

/// <summary>The end of a compile: an assembly image, or the reason there is none.</summary>
/// <param name="Outcome"><see cref="RunOutcome.Ok"/>, <see cref="RunOutcome.CompileError"/> or <see cref="RunOutcome.PolicyViolation"/>.</param>
/// <param name="Image">The emitted assembly when Ok.</param>
/// <param name="Diagnostics">Errors (and, when Ok, warnings are omitted).</param>
internal sealed record CompileResult(RunOutcome Outcome, byte[]? Image, IReadOnlyList<SourceDiagnostic> Diagnostics)
{
    public static CompileResult Refused(RunOutcome outcome, IReadOnlyList<SourceDiagnostic> diagnostics) => new(outcome, null, diagnostics);
}
