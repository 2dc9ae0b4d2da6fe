namespace EvoCode.Evolver.Domain;

/// <summary>A program of a run: its code, where it came from, and what the evaluator said.</summary>
public sealed class Candidate
{
    public Guid Id { get; set; }

    public Guid RunId { get; set; }

    /// <summary>Order of creation within the run, starting at 1 for the seed.</summary>
    public long Sequence { get; set; }

    public int Island { get; set; }

    public int Generation { get; set; }

    /// <summary>The first parent; <c>null</c> for the seed. All parents, in order, are in <see cref="Parents"/>.</summary>
    public Guid? ParentId { get; set; }

    public List<CandidateParent> Parents { get; set; } = [];

    /// <summary>The operator that made it: seed, diff, rewrite, crossover, fix, or a built-in rewrite's name.</summary>
    public required string Operator { get; set; }

    public string? Model { get; set; }

    public required string Source { get; set; }

    /// <summary>SHA-256 of the whitespace- and comment-normalized code, for duplicate screening.</summary>
    public required string CodeHash { get; set; }

    public CandidateState State { get; set; }

    /// <summary>How the sandboxed run ended (a <c>RunOutcome</c> name), once evaluated.</summary>
    public string? Outcome { get; set; }

    public bool? Correct { get; set; }

    /// <summary>Primary fitness, higher is better; set only when correct.</summary>
    public double? Score { get; set; }

    public Dictionary<string, double> Metrics { get; set; } = [];

    public Dictionary<string, double> Features { get; set; } = [];

    /// <summary>The archive cell key the program binned to, once evaluated correctly.</summary>
    public string? CellKey { get; set; }

    /// <summary>Whether the program became its cell's elite when it was inserted.</summary>
    public bool BecameElite { get; set; }

    public List<StoredArtifact> Artifacts { get; set; } = [];

    public string? Prompt { get; set; }

    public string? Reply { get; set; }

    /// <summary>One line on what changed against the parent: the model's name and description of its change, else derived from the diff.</summary>
    public string? ChangeNote { get; set; }

    public int? InputTokens { get; set; }

    public int? OutputTokens { get; set; }

    public decimal? Cost { get; set; }

    /// <summary>Its code embedding (384 little-endian floats, see <c>CodeEmbedder</c>), when its run screens by meaning.</summary>
    public byte[]? Embedding { get; set; }

    public string? Error { get; set; }

    /// <summary>Milliseconds spent proposing, evaluating and storing.</summary>
    public CandidateTimings Timings { get; set; } = new();

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? EvaluatedAt { get; set; }
}
