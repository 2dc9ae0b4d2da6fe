namespace EvoCode.Sandbox;

/// <summary>
/// Screens a candidate before spending an evaluation: compiles it and checks the API policy without
/// running anything. Bounded by the same size and time limits as every compile, and done in a sandbox
/// worker, never in the calling process.
/// </summary>
public interface ICandidateCompiler
{
    /// <summary>Compiles and policy-checks <paramref name="source"/>.</summary>
    Task<CompileCheck> CheckAsync(string source, CancellationToken cancellationToken);
}
