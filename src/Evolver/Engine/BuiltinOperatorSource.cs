using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Languages;
using EvoCode.Evolver.Llm;
using EvoCode.Evolver.Mutation;
using EvoCode.Evolver.Mutation.Builtin;

namespace EvoCode.Evolver.Engine;

/// <summary>
/// The offline operators of the problem's language, weighted by the run's mix or the language's default one, with a
/// bandit that moves the shares toward operators that improve their parents (operatorPolicy bandit) and a literal
/// step that adapts by the 1/5th success rule. Needs no model; the bandit's counts and the step live in the run's
/// ensemble state, so a resumed run goes on learning where it stopped.
/// </summary>
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

        // The run's own literal operator, so its step adapts for this run only; the rest are stateless and shared.
        var saved = OperatorBandit.Restore(run.EnsembleState);
        var step = new LiteralStepSize(saved?.StepScale ?? LiteralStepSize.Initial);
        var weighted = language.Operators.Where(o => mix.TryGetValue(o.Name, out var w) && w > 0).Select(o => (Operator: Own(o, step), Weight: mix[o.Name])).ToList();
        var bandit = new OperatorBandit([.. weighted.Select(w => (w.Operator.Name, w.Weight))], saved?.Operators);
        var learns = run.Settings.OperatorPolicy == EnsembleSettings.BanditPolicy;
        return new RunOperators(weighted)
        {
            Choose = learns ? bandit.Pick : null,
            Reward = (proposal, parentScore, childScore) =>
            {
                var improved = childScore is { } child && parentScore is { } parent && child > parent;
                if (parentScore is not null)
                {
                    bandit.Reward(proposal.Operator, improved);
                    if (proposal.Operator == LiteralOperator)
                    {
                        step.Update(improved);
                    }
                }
            },
            SaveState = () => bandit.Save(step.Scale),
        };
    }

    private const string LiteralOperator = "literal";

    private static IMutationOperator Own(IMutationOperator op, LiteralStepSize step) => op switch
    {
        LiteralPerturbation => new LiteralPerturbation(step),
        NumericLiteralPerturbation => new NumericLiteralPerturbation(step),
        _ => op,
    };
}
