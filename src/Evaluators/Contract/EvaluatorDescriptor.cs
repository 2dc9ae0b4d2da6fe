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
    IReadOnlyList<string> Stages)
{
    /// <summary>Features the evaluator measures for the archive, with their fixed ranges.</summary>
    public IReadOnlyList<FeatureDefinition> Features { get; init; } = [];

    /// <summary>The cascade stages with what they check and their thresholds, in order (names as in <see cref="Stages"/>).</summary>
    public IReadOnlyList<StageDefinition> Cascade { get; init; } = [];

    /// <summary>The best published value for the configured instance, when one is known.</summary>
    public PublishedResult? Published { get; init; }

    /// <summary>Limits for each sandboxed run when <see cref="EvaluationContext.Limits"/> is <c>null</c>.</summary>
    public RunLimits DefaultLimits { get; init; } = RunLimits.Default;

    /// <summary>Settings that change what a score means (such as the tolerance mode), to store next to every score.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
}
