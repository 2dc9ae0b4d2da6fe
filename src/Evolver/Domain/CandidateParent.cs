namespace EvoCode.Evolver.Domain;

/// <summary>A lineage edge: <see cref="ParentId"/> is parent number <see cref="Position"/> of <see cref="CandidateId"/>.</summary>
public sealed class CandidateParent
{
    public Guid CandidateId { get; set; }

    public int Position { get; set; }

    public Guid ParentId { get; set; }
}
