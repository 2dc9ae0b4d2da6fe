using EvoCode.Evaluators.Contract;

namespace EvoCode.Evolver.Llm;

/// <summary>Compiles a candidate (and applies the sandbox's API policy) before it is evaluated. The engine binds it to the sandbox.</summary>
public interface ICodeCheck
{
    /// <summary>Diagnostics of <paramref name="source"/>; those with severity "error" send the proposal back to the model.</summary>
    Task<IReadOnlyList<SourceDiagnostic>> CheckAsync(string source, CancellationToken ct);
}
