using EvoCode.Evolver.Domain;

namespace EvoCode.Evolver.Engine;

/// <summary>Builds the operators of a run from its settings (and, on resume, its stored ensemble state).</summary>
public interface IOperatorSource
{
    RunOperators Create(Run run, Problem problem);
}
