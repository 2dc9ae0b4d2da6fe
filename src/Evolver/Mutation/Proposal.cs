namespace EvoCode.Evolver.Mutation;

/// <summary>What an operator returns: a child's source, or the reason there is none, plus what it cost.</summary>
public sealed record Proposal
{
    /// <summary>The child's full source, or <c>null</c> when the operator failed.</summary>
    public string? Source { get; init; }

    /// <summary>The operator's name.</summary>
    public required string Operator { get; init; }

    /// <summary>The model that produced it, for language-model operators.</summary>
    public string? Model { get; init; }

    /// <summary>The prompt sent, for lineage.</summary>
    public string? Prompt { get; init; }

    /// <summary>The raw reply, for lineage.</summary>
    public string? Reply { get; init; }

    /// <summary>The change note the reply gave (name and one-line description), when it gave one.</summary>
    public string? ChangeNote { get; init; }

    /// <summary>Input tokens, or <c>null</c> when the provider did not report them.</summary>
    public int? InputTokens { get; init; }

    /// <summary>Output tokens, or <c>null</c> when the provider did not report them.</summary>
    public int? OutputTokens { get; init; }

    /// <summary>Cost in US dollars, or <c>null</c> when unknown.</summary>
    public decimal? Cost { get; init; }

    /// <summary>
    /// Milliseconds the operator spent in evaluations the run counts on their own (constant tuning's trials): the
    /// engine takes them out of the proposal's time, so the run's time split counts them once.
    /// </summary>
    public double EvaluatedMs { get; init; }

    /// <summary>Why no child came out, when none did.</summary>
    public string? Error { get; init; }

    /// <summary>Whether a child came out.</summary>
    public bool Succeeded => Source is not null;

    /// <summary>A failed proposal.</summary>
    public static Proposal Failed(string @operator, string error) => new() { Operator = @operator, Error = error };
}
