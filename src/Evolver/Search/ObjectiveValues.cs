using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Languages;
using EvoCode.Evolver.Mutation;

namespace EvoCode.Evolver.Search;

/// <summary>
/// A program's values on a run's objectives (ADR-024). The built-in metrics are measured once, at the program's
/// commit, into its stored metrics (an evaluator's own metric of the same name wins), so the engine, a resume and the
/// API all read the same numbers from the program: its score, or one of its metrics.
/// </summary>
public static class ObjectiveValues
{
    /// <summary>The built-in metrics of a program: its EVOLVE-BLOCK length (the source's without blocks) and its evaluation time.</summary>
    public static IReadOnlyDictionary<string, double> Measure(string source, IProgramLanguage language, double evaluateMs)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(language);
        var length = EvolveBlocks.TryParse(source, language, out var blocks, out _) && blocks.Blocks.Count > 0
            ? blocks.Blocks.Sum(b => b.GetOffsetAndLength(source.Length).Length)
            : source.Length;
        return new Dictionary<string, double>(StringComparer.Ordinal)
        {
            [Objective.Length] = length,
            [Objective.EvaluateMs] = evaluateMs,
        };
    }

    /// <summary>The program's value on <paramref name="objective"/>, as stored; <c>null</c> when it has none.</summary>
    public static double? Value(Objective objective, double? score, IReadOnlyDictionary<string, double> metrics)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(metrics);
        return objective.Metric == Objective.Score ? score
            : metrics.TryGetValue(objective.Metric, out var value) && double.IsFinite(value) ? value : null;
    }

    /// <summary>The values on every objective, each negated when minimized, so higher is better; <c>null</c> when one is missing.</summary>
    public static double[]? Oriented(IReadOnlyList<Objective> objectives, double? score, IReadOnlyDictionary<string, double> metrics)
    {
        ArgumentNullException.ThrowIfNull(objectives);
        var values = new double[objectives.Count];
        for (var i = 0; i < objectives.Count; i++)
        {
            if (Value(objectives[i], score, metrics) is not { } value)
            {
                return null;
            }

            values[i] = objectives[i].Goal == Objective.Minimize ? -value : value;
        }

        return values;
    }
}
