namespace EvoCode.Evolver.Domain;

/// <summary>One attempt to call a language model, kept for accounting whether it succeeded or not.</summary>
public sealed class ModelCall
{
    public long Id { get; set; }

    public Guid RunId { get; set; }

    /// <summary>The program this call produced, set when the proposal is stored (null for meta calls and rejections).</summary>
    public Guid? CandidateId { get; set; }

    /// <summary>The proposal the call was made for; a rejected proposal's id is on its <c>rejected</c> event.</summary>
    public Guid? ProposalId { get; set; }

    /// <summary>Why the proposal this call was made for was screened out, when it was.</summary>
    public string? Rejection { get; set; }

    public required string Model { get; set; }

    public required string Provider { get; set; }

    public string? Operator { get; set; }

    /// <summary>Input tokens; <c>null</c> when the provider did not report them (unknown, not zero).</summary>
    public int? InputTokens { get; set; }

    public int? OutputTokens { get; set; }

    public decimal? Cost { get; set; }

    /// <summary>Whether the tokens were estimated with the tokenizer because the provider reported none.</summary>
    public bool UsageEstimated { get; set; }

    /// <summary>What this turn sent: the system and user prompt on the first turn, the feedback on later ones.</summary>
    public string? Prompt { get; set; }

    /// <summary>The model's whole reply, refused ones included; null when no reply came.</summary>
    public string? Reply { get; set; }

    public double LatencyMs { get; set; }

    /// <summary>ok, http-429, http-500, timeout, truncated, malformed, cancelled, ...</summary>
    public required string Outcome { get; set; }

    public string? Error { get; set; }

    /// <summary>1 for the first attempt of a call, 2, 3... for retries.</summary>
    public int Attempt { get; set; } = 1;

    /// <summary>What became of the reply's edit (applied, whitespace-tolerant match, edit-failed: ...), when an operator used it.</summary>
    public string? EditOutcome { get; set; }

    public DateTimeOffset StartedAt { get; set; }
}
