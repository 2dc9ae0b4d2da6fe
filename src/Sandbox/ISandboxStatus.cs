namespace EvoCode.Sandbox;

/// <summary>
/// What /healthz and readiness report about the sandbox. Worker counts are of live processes (checked at
/// each read), never of configured slots. Ready means <see cref="LiveWorkers"/> &gt; 0; when it is 0,
/// <see cref="StartFailure"/> says why (null while the first workers are still starting).
/// </summary>
public interface ISandboxStatus
{
    /// <summary><c>full</c> (bubblewrap), <c>reduced</c> (own user, namespaces, rlimits) or <c>minimal</c> (own process only); <c>starting</c> before start-up.</summary>
    string IsolationLevel { get; }

    /// <summary>What the jail consists of, one measure per entry.</summary>
    IReadOnlyList<string> Measures { get; }

    /// <summary>Warnings about missing isolation measures.</summary>
    IReadOnlyList<string> Warnings { get; }

    /// <summary>Configured worker count (slots).</summary>
    int Workers { get; }

    /// <summary>Worker processes alive and waiting for work.</summary>
    int IdleWorkers { get; }

    /// <summary>Worker processes alive, idle or busy.</summary>
    int LiveWorkers { get; }

    /// <summary>Why the most recent worker start failed (for example bubblewrap's "Can't find source path … Permission denied"); null once a worker starts again.</summary>
    string? StartFailure { get; }
}
