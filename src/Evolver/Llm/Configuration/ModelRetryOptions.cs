namespace EvoCode.Evolver.Llm;

/// <summary>The one retry layer of model calls: 429, 408, 5xx, timeouts and network errors are retried; Retry-After is honoured.</summary>
public sealed class ModelRetryOptions
{
    /// <summary>Attempts per call, the first included.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>First backoff when the server sends no Retry-After; doubled each retry, with jitter.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Cap of the exponential backoff.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Cap of a server's Retry-After; a longer one fails the call instead of stalling the run.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(2);
}
