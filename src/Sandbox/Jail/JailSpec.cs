namespace EvoCode.Sandbox.Jail;

/// <summary>One process to start inside the jail.</summary>
/// <param name="Program">Absolute path of the program inside the jail (the host's paths are bound at the same place).</param>
/// <param name="Arguments">Its arguments.</param>
/// <param name="Environment">The whole environment it gets.</param>
/// <param name="ReadOnlyDirectory">A host directory bound read-only at <see cref="ReadOnlyTarget"/> (the worker's folder).</param>
/// <param name="ReadOnlyTarget">Where it appears inside the jail.</param>
/// <param name="WritableDirectory">A host directory bound read-write at <see cref="WritableTarget"/> (a command's folder).</param>
/// <param name="WritableTarget">Where it appears inside the jail.</param>
/// <param name="WorkingDirectory">Working directory inside the jail.</param>
/// <param name="UserId">Host user id to run as when the server may switch users; null keeps the server's.</param>
/// <param name="Limits">rlimits.</param>
internal sealed record JailSpec(
    string Program,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Environment,
    string? ReadOnlyDirectory,
    string? ReadOnlyTarget,
    string? WritableDirectory,
    string? WritableTarget,
    string WorkingDirectory,
    int? UserId,
    JailLimits Limits);
