namespace EvoCode.Evaluators.Contract;

/// <summary>
/// Says what "better" means for a problem. Implementations run the candidate only through the
/// <see cref="ICandidateRunner"/> they are given, and score its raw output in their own process.
/// </summary>
public interface IEvaluator
{
    /// <summary>Metrics, entry point and stages.</summary>
    EvaluatorDescriptor Descriptor { get; }

    /// <summary>Runs and scores one candidate, stage by stage, stopping early below a stage threshold.</summary>
    Task<EvaluationResult> EvaluateAsync(string source, ICandidateRunner runner, EvaluationContext context, CancellationToken cancellationToken);
}
