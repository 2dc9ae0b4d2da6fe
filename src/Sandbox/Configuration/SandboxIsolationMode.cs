namespace EvoCode.Sandbox.Configuration;

/// <summary>Which jail the pool uses.</summary>
public enum SandboxIsolationMode
{
    /// <summary>bubblewrap when it is installed and works, else the strongest fallback available.</summary>
    Auto,

    /// <summary>bubblewrap only; start-up fails without it.</summary>
    Bubblewrap,

    /// <summary>Never bubblewrap: own user, namespaces via unshare where possible, rlimits (for tests and diagnosis).</summary>
    Fallback,
}
