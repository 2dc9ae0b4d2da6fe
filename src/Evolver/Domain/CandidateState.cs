namespace EvoCode.Evolver.Domain;

/// <summary>Where a program is in the pipeline. Only <see cref="Evaluated"/> and <see cref="Rejected"/> are final.</summary>
public enum CandidateState
{
    /// <summary>Stored, waiting for (or in) evaluation. On resume such programs are evaluated, once.</summary>
    Pending,

    /// <summary>Evaluated; see Outcome, Correct and Score.</summary>
    Evaluated,

    /// <summary>Screened out before evaluation (duplicate, edit outside the markers, ...).</summary>
    Rejected,
}
