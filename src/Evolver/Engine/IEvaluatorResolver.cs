using EvoCode.Evaluators.Contract;
using EvoCode.Evolver.Domain;

namespace EvoCode.Evolver.Engine;

/// <summary>Turns a problem's evaluator reference and parameters into an evaluator.</summary>
public interface IEvaluatorResolver
{
    /// <summary>The problem's evaluator; throws <see cref="ArgumentException"/> with a clear message when the reference is invalid.</summary>
    IEvaluator Resolve(Problem problem);
}
