namespace EvoCode.Evolver.Llm;

/// <summary>The result of a model call after the retry layer: a reply (maybe truncated) or the reason there is none, and what all attempts cost.</summary>
public sealed record ModelReply
{
    /// <summary>The reply text, or <c>null</c> when no attempt produced one.</summary>
    public string? Text { get; init; }

    /// <summary>Whether the reply stopped at the output token limit.</summary>
    public bool Truncated { get; init; }

    /// <summary>Outcome of the last attempt.</summary>
    public required string Outcome { get; init; }

    /// <summary>Why there is no reply, when there is none.</summary>
    public string? Error { get; init; }

    /// <summary>Input tokens over all attempts, estimated when the provider did not report them (see <see cref="UsageEstimated"/>).</summary>
    public int? InputTokens { get; init; }

    /// <summary>Output tokens over all attempts, estimated when not reported.</summary>
    public int? OutputTokens { get; init; }

    /// <summary>Cost over all attempts, <c>null</c> when the model has no prices.</summary>
    public decimal? Cost { get; init; }

    /// <summary>Whether some of the usage was estimated with the tokenizer because the provider did not report it.</summary>
    public bool UsageEstimated { get; init; }

    /// <summary>The attempt that produced the reply, not yet stored when the call asked to defer it.</summary>
    public ModelCallRecord? FinalRecord { get; init; }

    /// <summary>Whether a reply text came back (complete or truncated).</summary>
    public bool HasText => Text is not null;
}
