using System.ComponentModel.DataAnnotations;

namespace EvoCode.Evolver.Engine;

/// <summary>Settings of the evolution engine (section <c>Engine</c>).</summary>
public sealed class EngineOptions : IValidatableObject
{
    public const string SectionName = "Engine";

    /// <summary>Whether this process runs evolution at all (an API-only replica sets false).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// This engine's name in run leases. A restarted server with the same name resumes its runs at once; give each
    /// process its own name when several share one PostgreSQL database on one machine.
    /// </summary>
    [Required]
    public string InstanceId { get; set; } = Environment.MachineName;

    /// <summary>
    /// How long a run stays claimed without a heartbeat; after that another instance may resume it (a crashed
    /// owner's runs move on after at most this plus one <see cref="PollInterval"/>). A stalled owner that comes
    /// back later cannot write: its owner epoch is fenced out (ADR-021).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often to look for runs started elsewhere (another process on the same PostgreSQL).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Most runs this instance drives at once. Claims also share the runs fairly among the live instances of the
    /// database: an instance takes at most its share (runs to drive ÷ live instances, rounded up) and never more than this.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxActiveRuns { get; set; } = 16;

    /// <summary>Screened-out proposals in a row before a proposal slot gives up and draws a new parent.</summary>
    [Range(1, 1000)]
    public int MaxScreeningAttempts { get; set; } = 20;

    /// <summary>Proposal slots in a row that produced nothing before the run is declared stalled.</summary>
    [Range(1, 100_000)]
    public int MaxFailedProposalsInRow { get; set; } = 200;

    /// <summary>
    /// Compile and policy-check every proposal before it is stored, so evaluations are spent only on programs that
    /// compile (needs an <c>ICodeCheck</c>, which the sandbox provides).
    /// </summary>
    public bool CompileScreen { get; set; } = true;

    /// <summary>Largest program, in characters, that is stored and evaluated.</summary>
    [Range(1000, 10_000_000)]
    public int MaxSourceLength { get; set; } = 200_000;

    /// <summary>Bytes of evaluator feedback carried into a prompt per program.</summary>
    [Range(0, 1_000_000)]
    public int MaxFeedbackLength { get; set; } = 4000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // A heartbeat comes once per poll: a poll as long as the lease would let every lease run out between two.
        if (PollInterval * 2 > LeaseDuration)
        {
            yield return new ValidationResult(
                $"Engine:PollInterval ({PollInterval}) must be at most half of Engine:LeaseDuration ({LeaseDuration}), so a heartbeat renews every lease before it runs out.",
                [nameof(PollInterval), nameof(LeaseDuration)]);
        }
    }
}
