namespace EvoCode.Sandbox.Jail;

/// <summary>How strong the jail is.</summary>
internal enum JailLevel
{
    /// <summary>Own process only, scrubbed environment.</summary>
    Minimal,

    /// <summary>Own unprivileged user and/or network namespace via unshare, rlimits, scrubbed environment.</summary>
    Reduced,

    /// <summary>bubblewrap: all namespaces, read-only filesystem, tmpfs /tmp, no network, unprivileged uid, rlimits.</summary>
    Full,
}
