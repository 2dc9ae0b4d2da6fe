namespace EvoCode.Evolver.Domain;

/// <summary>The kinds of <see cref="RunEvent"/>.</summary>
public static class RunEventKinds
{
    public const string Status = "status";
    public const string NewBest = "new-best";
    public const string NewElite = "new-elite";
    public const string Evaluated = "evaluated";
    public const string Error = "error";
    public const string Migration = "migration";

    /// <summary>An island that stagnated was cleared and restarted from the best programs of the others.</summary>
    public const string IslandRestart = "island-restart";

    /// <summary>A proposal the screen turned away, with its reason and what it cost.</summary>
    public const string Rejected = "rejected";

    /// <summary>One model call attempt, with its tokens and cost.</summary>
    public const string ModelCall = "model-call";
}
