namespace EvoCode.Evolver.Domain;

/// <summary>One evolutionary search over a problem, with everything a resume needs.</summary>
public sealed class Run
{
    public Guid Id { get; set; }

    public Guid ProblemId { get; set; }

    public Problem? Problem { get; set; }

    public string? Name { get; set; }

    public RunSettings Settings { get; set; } = new();

    public RunStatus Status { get; set; }

    /// <summary>Why the run stopped or failed.</summary>
    public string? StatusReason { get; set; }

    public long Proposals { get; set; }

    public long Evaluations { get; set; }

    public long Improvements { get; set; }

    public long InputTokens { get; set; }

    public long OutputTokens { get; set; }

    public decimal Cost { get; set; }

    public double? BestScore { get; set; }

    public Guid? BestCandidateId { get; set; }

    /// <summary>The next program sequence number to hand out.</summary>
    public long NextSequence { get; set; } = 1;

    /// <summary>Serialized random state, so a resumed run draws what it would have drawn.</summary>
    public string? RandomState { get; set; }

    /// <summary>Serialized model-ensemble (bandit) state.</summary>
    public string? EnsembleState { get; set; }

    /// <summary>The latest meta-memory summary carried into prompts.</summary>
    public string? MetaSummary { get; set; }

    /// <summary>Wall time the run has spent running, across pauses and restarts.</summary>
    public double ActiveSeconds { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Optimistic concurrency token, bumped on every update of the run row.</summary>
    public long Version { get; set; }
}
