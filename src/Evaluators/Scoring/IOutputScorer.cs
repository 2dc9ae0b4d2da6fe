using EvoCode.Evaluators.Contract;

namespace EvoCode.Evaluators.Scoring;

/// <summary>
/// Scores a candidate's raw output (the JSON its harness returned). Runs in the evaluator's own process,
/// never in the candidate's, so the candidate cannot influence its score except through the data itself.
/// </summary>
public interface IOutputScorer
{
    /// <summary>Validates and scores one raw output. Never throws for bad data: it returns an incorrect result saying what failed.</summary>
    EvaluationResult Score(string rawOutput);
}
