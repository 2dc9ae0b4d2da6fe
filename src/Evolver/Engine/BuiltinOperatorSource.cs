using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Languages;
using EvoCode.Evolver.Llm;

namespace EvoCode.Evolver.Engine;

/// <summary>The offline operators of the problem's language, weighted by the run's mix or the language's default one. Needs no model.</summary>
public sealed class BuiltinOperatorSource : IOperatorSource
{
    public IReadOnlyCollection<string> ModelNames => [];

    public RunOperators Create(Run run, Problem problem, ModelLedger ledger)
    {
        ArgumentNullException.ThrowIfNull(run);
        var language = ProgramLanguages.Of(problem);
        var mix = run.Settings.Operators ?? language.DefaultMix;
        var unknown = mix.Keys.Where(k => language.Operators.All(o => o.Name != k)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Unknown built-in operators for {language.DisplayName}: {string.Join(", ", unknown)}. Known: {string.Join(", ", language.Operators.Select(o => o.Name))}.");
        }

        return new RunOperators([.. language.Operators.Where(o => mix.ContainsKey(o.Name)).Select(o => (o, mix[o.Name]))]);
    }
}
