using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Llm;

namespace EvoCode.Evolver.Engine;

/// <summary>Builds the operators of a run from its settings (and, on resume, its stored ensemble state).</summary>
public interface IOperatorSource
{
    /// <summary>The run's operators; every model call they make goes through <paramref name="ledger"/>.</summary>
    RunOperators Create(Run run, Problem problem, ModelLedger ledger);

    /// <summary>The models this server can call, for <see cref="RunSettingsValidator"/>.</summary>
    IReadOnlyCollection<string> ModelNames { get; }
}
