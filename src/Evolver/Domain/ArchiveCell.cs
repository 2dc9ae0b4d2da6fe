namespace EvoCode.Evolver.Domain;

/// <summary>One cell of a run's MAP-Elites grid on one island, holding its elite.</summary>
public sealed class ArchiveCell
{
    public Guid RunId { get; set; }

    public int Island { get; set; }

    /// <summary>Bin indexes joined with '-', e.g. "3-7".</summary>
    public required string CellKey { get; set; }

    public Guid EliteId { get; set; }

    /// <summary>The elite's score, kept here so the insert rule is one conditional statement.</summary>
    public double Score { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
