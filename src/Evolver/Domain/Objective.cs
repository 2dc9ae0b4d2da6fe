namespace EvoCode.Evolver.Domain;

/// <summary>
/// One objective of a run with several (ADR-024): a metric the evaluator reports, the evaluator's <c>score</c>, or a
/// value the engine measures for every program (<c>length</c>, <c>evaluateMs</c>), and whether it is maximized or
/// minimized.
/// </summary>
/// <param name="Metric">The metric's name.</param>
/// <param name="Goal">maximize or minimize.</param>
public sealed record Objective(string Metric, string Goal)
{
    public const string Maximize = "maximize";

    public const string Minimize = "minimize";

    /// <summary>The evaluator's score (higher is better), always known.</summary>
    public const string Score = "score";

    /// <summary>Characters of the program's EVOLVE-BLOCK regions (of the whole source when it has none).</summary>
    public const string Length = "length";

    /// <summary>Milliseconds of the program's evaluation (compile, run and score).</summary>
    public const string EvaluateMs = "evaluateMs";

    /// <summary>Metrics every run knows, whatever its evaluator reports.</summary>
    public static IReadOnlyList<string> BuiltIn { get; } = [Score, Length, EvaluateMs];

    public static IReadOnlyList<string> Goals { get; } = [Maximize, Minimize];
}
