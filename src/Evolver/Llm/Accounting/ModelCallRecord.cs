namespace EvoCode.Evolver.Llm;

/// <summary>One attempt at a model call, successful or not, as the run's accounting stores it.</summary>
/// <param name="RunId">The run that paid for the call (empty outside a run).</param>
/// <param name="Model">The configured model name.</param>
/// <param name="Provider">openai, azure or ollama.</param>
/// <param name="Operator">The operator (diff, rewrite, crossover, fix, meta) that made the call.</param>
/// <param name="InputTokens">Input tokens, or <c>null</c> when the provider did not report them.</param>
/// <param name="OutputTokens">Output tokens, or <c>null</c> when the provider did not report them.</param>
/// <param name="Cost">Cost in US dollars, or <c>null</c> when tokens or prices are unknown.</param>
/// <param name="Latency">Wall time of the attempt.</param>
/// <param name="Outcome">See <see cref="ModelCallOutcome"/>.</param>
/// <param name="Error">Why the attempt failed, when it did (never contains a key).</param>
/// <param name="StartedAt">When the attempt started, from the run's <see cref="TimeProvider"/>.</param>
public sealed record ModelCallRecord(
    Guid RunId,
    string Model,
    string Provider,
    string Operator,
    int? InputTokens,
    int? OutputTokens,
    decimal? Cost,
    TimeSpan Latency,
    string Outcome,
    string? Error,
    DateTimeOffset StartedAt)
{
    /// <summary>1 for the first attempt of a call, then 2, 3... for transport retries.</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>The wait chosen before the next attempt (Retry-After when the server sent one), when there is one.</summary>
    public TimeSpan? RetryDelay { get; init; }

    /// <summary>Whether the token counts were estimated with the tokenizer because the provider reported none.</summary>
    public bool UsageEstimated { get; init; }

    /// <summary>The proposal the call was made for (see <see cref="ModelCallContext.ProposalId"/>).</summary>
    public Guid? ProposalId { get; init; }

    /// <summary>What this turn sent: the messages after the model's last reply (system and user prompt on the first turn, the feedback later).</summary>
    public string? Prompt { get; init; }

    /// <summary>The reply's whole text, when one came.</summary>
    public string? Reply { get; init; }

    /// <summary>What became of the reply's edit (for example "applied", "applied; whitespace-tolerant match on block 1", "edit-failed: ..."), when an operator used it.</summary>
    public string? EditOutcome { get; init; }
}
