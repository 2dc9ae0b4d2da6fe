namespace EvoCode.Evaluators.Examples;

/// <summary>Default run settings a problem suggests; a run may override each.</summary>
/// <param name="MaxEvaluations">Stop after this many evaluations.</param>
/// <param name="Islands">Number of islands.</param>
/// <param name="TargetScore">Stop when a correct program reaches this score, when set.</param>
/// <param name="MaxWallTimeMinutes">Stop after this long, when set.</param>
public sealed record RunDefaults(int MaxEvaluations = 500, int Islands = 4, double? TargetScore = null, int? MaxWallTimeMinutes = null);
