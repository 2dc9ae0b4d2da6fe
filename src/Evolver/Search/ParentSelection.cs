namespace EvoCode.Evolver.Search;

/// <summary>How a parent is drawn from an island.</summary>
public enum ParentSelection
{
    /// <summary>Rank r (0 = best) with probability proportional to (r + 1)^-alpha.</summary>
    PowerLaw,

    /// <summary>ShinkaEvolve's rule: sigmoid of the distance to the median score times 1 / (1 + children).</summary>
    Weighted,

    /// <summary>Uniform over filled cells.</summary>
    Uniform,

    /// <summary>Always the best.</summary>
    HillClimb,

    /// <summary>NSGA-II's binary tournament over the island's front members: lower Pareto rank, then larger crowding distance (ADR-024).</summary>
    Pareto,
}
