namespace EvoCode.Evolver.Domain;

/// <summary>
/// One evaluation in a run's series, appended in the same transaction that commits the evaluation, so the
/// dashboard's charts and statistics read the run's history as the run counted it without scanning its programs
/// (seed copies and migrants share another program's evaluation and are never entries).
/// </summary>
public sealed class RunSeriesEntry
{
    public Guid RunId { get; set; }

    /// <summary>The run's evaluation count once this one was committed: 1, 2, 3, … with no gaps.</summary>
    public long Evaluation { get; set; }

    public Guid CandidateId { get; set; }

    public long Sequence { get; set; }

    public DateTimeOffset EvaluatedAt { get; set; }

    /// <summary>Null when the program is incorrect.</summary>
    public double? Score { get; set; }

    public bool Correct { get; set; }

    public int Island { get; set; }

    public required string Operator { get; set; }

    public string? Model { get; set; }

    /// <summary>The evaluator's finite metrics.</summary>
    public Dictionary<string, double> Metrics { get; set; } = [];

    /// <summary>
    /// Whether the run counted the program's evaluation: evaluated, and neither a seed copy (the seed's operator
    /// with a parent) nor a migrant, which share another program's evaluation. Used where a series is rebuilt from
    /// stored programs (an import); the engine appends entries as it counts.
    /// </summary>
    public static bool Counts(Candidate program)
    {
        ArgumentNullException.ThrowIfNull(program);
        return program.State == CandidateState.Evaluated && program.Operator != "migration" && !(program.Operator == "seed" && program.ParentId is not null);
    }

    /// <summary>The series of stored programs, numbered in the order they were evaluated.</summary>
    public static IEnumerable<RunSeriesEntry> Rebuild(IEnumerable<Candidate> programs) =>
        programs.Where(Counts).OrderBy(c => c.EvaluatedAt ?? c.CreatedAt).ThenBy(c => c.Sequence).Select((c, k) => Of(c, k + 1L));

    /// <summary>The entry of an evaluated program that the run counted as its <paramref name="evaluation"/>th.</summary>
    public static RunSeriesEntry Of(Candidate program, long evaluation)
    {
        ArgumentNullException.ThrowIfNull(program);
        return new RunSeriesEntry
        {
            RunId = program.RunId,
            Evaluation = evaluation,
            CandidateId = program.Id,
            Sequence = program.Sequence,
            EvaluatedAt = program.EvaluatedAt ?? program.CreatedAt,
            Score = program.Score,
            Correct = program.Correct == true,
            Island = program.Island,
            Operator = program.Operator,
            Model = program.Model,
            Metrics = new Dictionary<string, double>(program.Metrics),
        };
    }
}
