namespace EvoCode.Evolver.Mutation.Builtin;

/// <summary>The offline operators and their default mix, used when a run has no language model.</summary>
public static class BuiltinOperators
{
    public static IReadOnlyList<IMutationOperator> All { get; } =
    [
        new LiteralPerturbation(),
        new OperatorSwap(),
        new StatementEdit(StatementEditKind.Duplicate),
        new StatementEdit(StatementEditKind.Delete),
        new StatementEdit(StatementEditKind.SwapWithNext),
        new BlockCrossover(),
    ];

    /// <summary>Literal nudges do most of the work on numeric constructions; structural edits keep diversity.</summary>
    public static IReadOnlyDictionary<string, double> DefaultMix { get; } = new Dictionary<string, double>
    {
        ["literal"] = 0.55,
        ["swap-operator"] = 0.08,
        ["duplicate-statement"] = 0.08,
        ["delete-statement"] = 0.08,
        ["swap-statements"] = 0.08,
        ["crossover"] = 0.13,
    };
}
