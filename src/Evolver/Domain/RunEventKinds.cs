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
}
