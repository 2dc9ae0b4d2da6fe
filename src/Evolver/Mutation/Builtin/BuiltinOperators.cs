namespace EvoCode.Evolver.Mutation.Builtin;

/// <summary>The offline operators and their default mixes, used when a run has no language model; a program's language chooses the set.</summary>
public static class BuiltinOperators
{
    /// <summary>The Roslyn rewrites, for C#.</summary>
    public static IReadOnlyList<IMutationOperator> CSharp { get; } =
    [
        new LiteralPerturbation(),
        new OperatorSwap(),
        new StatementEdit(StatementEditKind.Duplicate),
        new StatementEdit(StatementEditKind.Delete),
        new StatementEdit(StatementEditKind.SwapWithNext),
        new BlockCrossover(),
    ];

    /// <summary>Literal nudges do most of the work on numeric constructions; structural edits keep diversity.</summary>
    public static IReadOnlyDictionary<string, double> CSharpMix { get; } = new Dictionary<string, double>
    {
        ["literal"] = 0.55,
        ["swap-operator"] = 0.08,
        ["duplicate-statement"] = 0.08,
        ["delete-statement"] = 0.08,
        ["swap-statements"] = 0.08,
        ["crossover"] = 0.13,
    };

    /// <summary>Token- and line-level edits, for every other language.</summary>
    public static IReadOnlyList<IMutationOperator> AnyLanguage { get; } =
    [
        new NumericLiteralPerturbation(),
        new LineEdit(LineEditKind.Duplicate),
        new LineEdit(LineEditKind.Delete),
        new LineEdit(LineEditKind.SwapWithNext),
        new BlockCrossover(),
    ];

    /// <summary>The C# mix's shape without the operator swap, whose share goes to literal nudges.</summary>
    public static IReadOnlyDictionary<string, double> AnyLanguageMix { get; } = new Dictionary<string, double>
    {
        ["literal"] = 0.63,
        ["duplicate-line"] = 0.08,
        ["delete-line"] = 0.08,
        ["swap-lines"] = 0.08,
        ["crossover"] = 0.13,
    };
}
