namespace EvoCode.Sandbox;

/// <summary>What /healthz reports about the sandbox.</summary>
public interface ISandboxStatus
{
    /// <summary><c>full</c> (bubblewrap), <c>reduced</c> (own user, namespaces, rlimits) or <c>minimal</c> (own process only); <c>starting</c> before start-up.</summary>
    string IsolationLevel { get; }

    /// <summary>What the jail consists of, one measure per entry.</summary>
    IReadOnlyList<string> Measures { get; }

    /// <summary>Warnings about missing isolation measures.</summary>
    IReadOnlyList<string> Warnings { get; }

    /// <summary>Configured worker count.</summary>
    int Workers { get; }

    /// <summary>Workers warm and idle right now.</summary>
    int IdleWorkers { get; }
}
