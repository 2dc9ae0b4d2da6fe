namespace EvoCode.Evaluators.Contract;

/// <summary>The best value published for one instance of a problem, with where it comes from.</summary>
/// <param name="Instance">The instance, such as "n=26".</param>
/// <param name="Metric">The metric the value is in (the evaluator's own metric name).</param>
/// <param name="Value">The published value, in the metric's own units and direction.</param>
/// <param name="Source">Who published it and where.</param>
/// <param name="Note">Caveats, such as the tolerance it was checked at.</param>
public sealed record PublishedResult(string Instance, string Metric, double Value, string Source, string? Note = null);
