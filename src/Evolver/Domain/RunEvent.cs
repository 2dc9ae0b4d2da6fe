namespace EvoCode.Evolver.Domain;

/// <summary>
/// Something a live subscriber wants to hear about, stored in order so a client that reconnects with the last
/// id it saw misses nothing, even across a server restart.
/// </summary>
public sealed class RunEvent
{
    /// <summary>Increasing id, usable as an SSE event id.</summary>
    public long Id { get; set; }

    public Guid RunId { get; set; }

    /// <summary>One of <see cref="RunEventKinds"/>.</summary>
    public required string Kind { get; set; }

    /// <summary>A small JSON payload.</summary>
    public required string Data { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
