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

    /// <summary>Times the run's best score went up.</summary>
    public long Improvements { get; set; }

    /// <summary>Proposals screened out before evaluation.</summary>
    public long Rejections { get; set; }

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

    public RunStatistics Statistics { get; set; } = new();

    /// <summary>The latest meta-memory summary carried into prompts.</summary>
    public string? MetaSummary { get; set; }

    /// <summary>Wall time the run has spent running, across pauses and restarts.</summary>
    public double ActiveSeconds { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>The engine instance that runs it now; with PostgreSQL several server processes share the runs.</summary>
    public string? Owner { get; set; }

    /// <summary>Until when <see cref="Owner"/> holds the run; an expired lease lets another instance resume it.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; set; }

    /// <summary>
    /// The fencing token: grows by one with every claim, whoever grants it (today the lease columns, later the
    /// cluster's grains). Every write of the run loop carries the epoch it was claimed with and lands only while the
    /// row still has it, so a stalled former owner can never write. See ADR-021.
    /// </summary>
    public long OwnerEpoch { get; set; }
}
