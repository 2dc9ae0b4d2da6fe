namespace EvoCode.Evolver.Domain;

/// <summary>
/// An engine process that takes runs, as it last announced itself. Claims read these rows to share runs fairly:
/// an instance that is alive but idle counts, so a busy one leaves it its share.
/// </summary>
public sealed class EngineInstance
{
    /// <summary>The engine's <c>InstanceId</c>, the name it writes into the runs it owns.</summary>
    public string Id { get; set; } = "";

    /// <summary>Its last heartbeat; an instance not seen for a lease is gone.</summary>
    public DateTimeOffset SeenAt { get; set; }

    /// <summary>Its own cap on the runs it drives at once (<c>Engine:MaxActiveRuns</c>).</summary>
    public int MaxActiveRuns { get; set; }
}
