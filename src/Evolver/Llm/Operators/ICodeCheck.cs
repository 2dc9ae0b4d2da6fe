using EvoCode.Evaluators.Contract;

namespace EvoCode.Evolver.Llm;

/// <summary>Compiles a candidate (and applies the sandbox's API policy) before it is evaluated. The engine binds it to the sandbox.</summary>
public interface ICodeCheck
{
    /// <summary>Diagnostics of <paramref name="source"/>; those with severity "error" send the proposal back to the model.</summary>
    Task<IReadOnlyList<SourceDiagnostic>> CheckAsync(string source, CancellationToken ct);

    /// <summary>As <see cref="CheckAsync"/>, and whether the sandbox reused an earlier compile of the same source (for the program's timings).</summary>
    async Task<CodeCheckResult> CheckWithCacheFlagAsync(string source, CancellationToken ct) => new(await CheckAsync(source, ct), Cached: false);
}

/// <summary>What <see cref="ICodeCheck.CheckWithCacheFlagAsync"/> found.</summary>
/// <param name="Diagnostics">As <see cref="ICodeCheck.CheckAsync"/>.</param>
/// <param name="Cached">The sandbox reused an earlier compile of the same source.</param>
public sealed record CodeCheckResult(IReadOnlyList<SourceDiagnostic> Diagnostics, bool Cached);
