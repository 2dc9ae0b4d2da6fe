namespace EvoCode.Evolver.Domain;

/// <summary>
/// A program on its cell's front in a run with several objectives (ADR-024): one row per member, so a resumed run
/// rebuilds the same fronts. Its objective values are read from the program (score and metrics).
/// </summary>
public sealed class FrontMember
{
    public Guid RunId { get; set; }

    public Guid CandidateId { get; set; }

    public int Island { get; set; }

    /// <summary>The cell whose front holds it.</summary>
    public required string CellKey { get; set; }
}
