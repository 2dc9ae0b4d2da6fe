namespace EvoCode.Evaluators.Contract;

/// <summary>Whether larger or smaller values of a metric are better.</summary>
public enum MetricGoal
{
    /// <summary>Larger is better.</summary>
    Maximize,

    /// <summary>Smaller is better.</summary>
    Minimize,
}

/// <summary>A metric an evaluator reports.</summary>
/// <param name="Name">Stable name, used as a key in results and feature dimensions.</param>
/// <param name="Goal">Which direction is better.</param>
/// <param name="Min">Lower bound of meaningful values, when known.</param>
/// <param name="Max">Upper bound of meaningful values, when known.</param>
/// <param name="ShownToModel">Whether prompts may show this metric to a language model.</param>
/// <param name="Digits">Significant digits to show.</param>
/// <param name="Description">What the metric measures.</param>
public sealed record MetricDefinition(
    string Name,
    MetricGoal Goal,
    double? Min = null,
    double? Max = null,
    bool ShownToModel = true,
    int Digits = 6,
    string? Description = null);
