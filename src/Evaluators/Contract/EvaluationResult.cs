namespace EvoCode.Evaluators.Contract;

/// <summary>
/// The verdict on one candidate. <see cref="Score"/> is the primary fitness, oriented so that higher is
/// always better, and is recomputed by the evaluator from the candidate's raw output.
/// </summary>
public sealed record EvaluationResult
{
    /// <summary>Whether the candidate's output is valid. An incorrect result never enters the archive.</summary>
    public required bool Correct { get; init; }

    /// <summary>Primary fitness; higher is better. Meaningful only when <see cref="Correct"/>.</summary>
    public double Score { get; init; }

    /// <summary>Named metrics, keyed by <see cref="MetricDefinition.Name"/>.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>Values for the archive's feature dimensions that the evaluator measures.</summary>
    public IReadOnlyDictionary<string, double> Features { get; init; } = new Dictionary<string, double>();

    /// <summary>Feedback and pictures.</summary>
    public IReadOnlyList<Artifact> Artifacts { get; init; } = [];

    /// <summary>Why the candidate failed, when it did.</summary>
    public string? Error { get; init; }

    /// <summary>How the sandboxed run ended.</summary>
    public RunOutcome Outcome { get; init; } = RunOutcome.Ok;

    /// <summary>The cascade stage that produced this result (the last one reached).</summary>
    public string? Stage { get; init; }

    /// <summary>Time spent running the candidate, summed over stages.</summary>
    public TimeSpan RunTime { get; init; }

    /// <summary>An incorrect result with a reason.</summary>
    public static EvaluationResult Incorrect(string error, RunOutcome outcome = RunOutcome.Ok, IReadOnlyList<Artifact>? artifacts = null) =>
        new() { Correct = false, Error = error, Outcome = outcome, Artifacts = artifacts ?? [] };

    /// <summary>
    /// Returns this result, or an incorrect one when the score or any metric or feature is NaN or infinite:
    /// a non-finite number is never a valid measurement.
    /// </summary>
    public EvaluationResult RequireFinite()
    {
        if (!Correct)
        {
            return this;
        }

        if (!double.IsFinite(Score))
        {
            return this with { Correct = false, Error = $"The score is {Score}, not a finite number." };
        }

        foreach (var (name, value) in Metrics.Concat(Features))
        {
            if (!double.IsFinite(value))
            {
                return this with { Correct = false, Error = $"'{name}' is {value}, not a finite number." };
            }
        }

        return this;
    }
}
