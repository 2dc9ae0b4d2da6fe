namespace EvoCode.Sandbox.Protocol;

/// <summary>What the pool asks a worker to do. One request at a time per worker.</summary>
/// <param name="Kind"><see cref="RequestKinds.Run"/> or <see cref="RequestKinds.Check"/>.</param>
/// <param name="Nonce">Random per request; the response must echo it, so stray bytes cannot pass for an answer.</param>
/// <param name="Source">Candidate source.</param>
/// <param name="Harness">Harness name (runs only).</param>
/// <param name="ParametersJson">Harness parameters as JSON text (runs only).</param>
/// <param name="Seed">Seed of the random source offered to the candidate.</param>
/// <param name="WallTimeMs">Run budget in CPU time of the worker, in milliseconds.</param>
/// <param name="MemoryBytes">Managed heap limit during the run.</param>
/// <param name="MaxOutputBytes">Cap on the candidate's log and on the harness output.</param>
/// <param name="CompileTimeoutMs">Compile budget in CPU time of the worker, in milliseconds.</param>
/// <param name="MaxSourceBytes">Largest accepted source, in UTF-8 bytes.</param>
/// <param name="WallClockBackstopFactor">Each budget also ends after this many times itself (plus five seconds) of wall-clock time.</param>
/// <param name="MaxTextFieldBytes">Cap on each text the candidate shapes (log, error).</param>
/// <param name="Image">An assembly a compile-lane worker already emitted for <paramref name="Source"/> (runs only): the
/// worker loads it instead of compiling, after checking <paramref name="ImageSha256"/> and the metadata policy again.</param>
/// <param name="ImageSha256">Hex SHA-256 of <paramref name="Image"/>.</param>
internal sealed record WorkerRequest(
    string Kind,
    string Nonce,
    string Source,
    string? Harness,
    string? ParametersJson,
    int Seed,
    long WallTimeMs,
    long MemoryBytes,
    int MaxOutputBytes,
    int CompileTimeoutMs,
    int MaxSourceBytes,
    double WallClockBackstopFactor = 10,
    int MaxTextFieldBytes = 64 * 1024,
    byte[]? Image = null,
    string? ImageSha256 = null);

/// <summary>Request kinds.</summary>
internal static class RequestKinds
{
    public const string Run = "run";
    public const string Check = "check";
}
