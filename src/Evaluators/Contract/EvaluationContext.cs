namespace EvoCode.Evaluators.Contract;

/// <summary>Per-evaluation settings chosen by the caller.</summary>
/// <param name="Seed">Seed for the harness's random source.</param>
/// <param name="Limits">Limits for each sandboxed run; <c>null</c> takes the evaluator's defaults.</param>
public sealed record EvaluationContext(int Seed = 0, RunLimits? Limits = null);
