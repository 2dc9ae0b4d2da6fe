using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Llm;
using EvoCode.Evolver.Mutation.Builtin;

namespace EvoCode.Evolver.Engine;

/// <summary>The offline operators, weighted by the run's mix or the default one. Needs no model.</summary>
public sealed class BuiltinOperatorSource : IOperatorSource
{
    public IReadOnlyCollection<string> ModelNames => [];

    public RunOperators Create(Run run, Problem problem, ModelLedger ledger)
    {
        ArgumentNullException.ThrowIfNull(run);
        var mix = run.Settings.Operators ?? BuiltinOperators.DefaultMix;
        var unknown = mix.Keys.Where(k => BuiltinOperators.All.All(o => o.Name != k)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Unknown built-in operators: {string.Join(", ", unknown)}. Known: {string.Join(", ", BuiltinOperators.All.Select(o => o.Name))}.");
        }

        return new RunOperators([.. BuiltinOperators.All.Where(o => mix.ContainsKey(o.Name)).Select(o => (o, mix[o.Name]))]);
    }
}
