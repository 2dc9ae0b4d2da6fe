using EvoCode.Evaluators.Contract;
using EvoCode.Evolver.Llm;
using EvoCode.Sandbox;

namespace EvoCode.Evolver.Engine;

/// <summary>The sandbox's compile and policy check (it runs in a jailed worker), as the engine and the model operators use it.</summary>
public sealed class SandboxCodeCheck(ICandidateCompiler compiler) : ICodeCheck
{
    public async Task<IReadOnlyList<SourceDiagnostic>> CheckAsync(string source, CancellationToken ct) =>
        (await CheckWithCacheFlagAsync(source, ct)).Diagnostics;

    public async Task<CodeCheckResult> CheckWithCacheFlagAsync(string source, CancellationToken ct)
    {
        var check = await compiler.CheckAsync(source, ct);
        if (check.IsOk)
        {
            return new CodeCheckResult([], check.CompileCacheHit);
        }

        // A refusal without diagnostics still has to stop the program.
        return new CodeCheckResult(
            check.Diagnostics.Count > 0 ? check.Diagnostics : [new SourceDiagnostic(check.Outcome.ToString(), $"The program failed the check: {check.Outcome}.", 0, 0)],
            check.CompileCacheHit);
    }
}
