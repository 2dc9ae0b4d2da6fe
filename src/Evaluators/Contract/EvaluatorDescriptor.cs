namespace EvoCode.Evaluators.Contract;

/// <summary>What an evaluator declares about itself.</summary>
/// <param name="Id">Catalogue id, such as "circle-packing".</param>
/// <param name="PrimaryMetric">The metric that <see cref="EvaluationResult.Score"/> orients to higher-is-better.</param>
/// <param name="Metrics">All metrics it reports.</param>
/// <param name="EntryPoint">What the candidate must expose, as a C# signature, for prompts and checks.</param>
/// <param name="Stages">Cascade stage names in order.</param>
public sealed record EvaluatorDescriptor(
    string Id,
    string PrimaryMetric,
    IReadOnlyList<MetricDefinition> Metrics,
    string EntryPoint,
    IReadOnlyList<string> Stages);
