namespace EvoCode.Evolver.Domain;

/// <summary>Where a run is in its life.</summary>
public enum RunStatus
{
    /// <summary>Created, waiting for the engine to pick it up.</summary>
    Pending,
    Running,
    Paused,
    /// <summary>Ended at a budget or target.</summary>
    Completed,
    Cancelled,
    /// <summary>Ended because it could not go on (for example, the seed does not evaluate).</summary>
    Failed,
}
