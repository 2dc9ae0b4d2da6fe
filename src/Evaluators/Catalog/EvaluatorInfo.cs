using EvoCode.Evaluators.Contract;

namespace EvoCode.Evaluators.Catalog;

/// <summary>A catalogue entry: what an evaluator is and which parameters it takes.</summary>
/// <param name="Id">The id to create it with.</param>
/// <param name="Title">A short title.</param>
/// <param name="Description">What it measures and how.</param>
/// <param name="Kind">"built-in" for the ready problems, "custom" for user-supplied scoring code.</param>
/// <param name="Parameters">The parameters it accepts.</param>
/// <param name="Metrics">The metrics it reports with default parameters (custom evaluators: the ones the user declares).</param>
/// <param name="EntryPoint">What a candidate must expose, with default parameters.</param>
/// <param name="Published">Best published values of its instances, with sources.</param>
public sealed record EvaluatorInfo(
    string Id,
    string Title,
    string Description,
    string Kind,
    IReadOnlyList<ParameterDefinition> Parameters,
    IReadOnlyList<MetricDefinition> Metrics,
    string EntryPoint,
    IReadOnlyList<PublishedResult> Published);
