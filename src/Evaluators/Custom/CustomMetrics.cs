using EvoCode.Evaluators.Contract;

namespace EvoCode.Evaluators.Custom;

/// <summary>How a custom evaluator turns the metrics its user code reports into a result.</summary>
/// <param name="PrimaryMetric">The metric the score is taken from.</param>
/// <param name="Goal">Whether the primary metric is maximized or minimized (minimized metrics are negated into the score).</param>
/// <param name="Features">Metrics that are also archive features.</param>
public sealed record CustomMetrics(string PrimaryMetric, MetricGoal Goal, IReadOnlyList<FeatureDefinition> Features)
{
    /// <summary>Builds a correct result from reported metrics, or an incorrect one when the primary metric is missing or any value is not finite.</summary>
    public EvaluationResult ToResult(IReadOnlyDictionary<string, double> metrics, IReadOnlyList<Artifact> artifacts)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        if (!metrics.TryGetValue(PrimaryMetric, out var primary))
        {
            return EvaluationResult.Incorrect($"The evaluator reported no '{PrimaryMetric}' metric (it reported: {string.Join(", ", metrics.Keys)}).", artifacts: artifacts);
        }

        var features = Features.Where(f => metrics.ContainsKey(f.Name)).ToDictionary(f => f.Name, f => metrics[f.Name], StringComparer.Ordinal);
        return new EvaluationResult
        {
            Correct = true,
            Score = Goal == MetricGoal.Maximize ? primary : -primary,
            Metrics = metrics,
            Features = features,
            Artifacts = artifacts,
        }.RequireFinite();
    }
}
