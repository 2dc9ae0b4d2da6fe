namespace EvoCode.Evaluators.Contract;

/// <summary>A feature an evaluator measures for the archive's grid, with the fixed range it is binned over.</summary>
/// <param name="Name">Key in <see cref="EvaluationResult.Features"/>.</param>
/// <param name="Min">Lower end of the binned range.</param>
/// <param name="Max">Upper end of the binned range.</param>
/// <param name="Description">What the feature measures.</param>
/// <param name="Bins">Suggested number of equal bins over [<paramref name="Min"/>, <paramref name="Max"/>].</param>
public sealed record FeatureDefinition(string Name, double Min, double Max, string Description, int Bins = 10);
