namespace EvoCode.Evaluators.Contract;

/// <summary>One declared stage of an evaluation cascade.</summary>
/// <param name="Name">The stage name, as in <see cref="EvaluatorDescriptor.Stages"/> and <see cref="EvaluationResult.Stage"/>.</param>
/// <param name="Description">What the stage runs and checks.</param>
/// <param name="Threshold">The least stage score that lets a candidate go on; <c>null</c> when every correct candidate goes on (or it is the last stage).</param>
public sealed record StageDefinition(string Name, string Description, double? Threshold = null);
