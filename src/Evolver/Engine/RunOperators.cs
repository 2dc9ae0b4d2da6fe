using EvoCode.Evolver.Mutation;

namespace EvoCode.Evolver.Engine;

/// <summary>
/// The operators one run uses, with their weights, and the hooks an adaptive model ensemble needs: a reward
/// after each evaluated child, its state to store, and an optional meta-memory summarizer.
/// </summary>
public sealed class RunOperators
{
    private readonly IReadOnlyList<IMutationOperator> _operators;
    private readonly IReadOnlyList<(IMutationOperator Operator, double Weight)> _weighted;
    private readonly double[] _cumulative;

    public RunOperators(IReadOnlyList<(IMutationOperator Operator, double Weight)> weighted)
    {
        ArgumentNullException.ThrowIfNull(weighted);
        var usable = weighted.Where(w => w.Weight > 0).ToList();
        if (usable.Count == 0)
        {
            throw new ArgumentException("A run needs at least one operator with a positive weight.", nameof(weighted));
        }

        _weighted = usable;
        _operators = [.. usable.Select(w => w.Operator)];
        _cumulative = new double[usable.Count];
        var total = 0.0;
        for (var i = 0; i < usable.Count; i++)
        {
            total += usable[i].Weight;
            _cumulative[i] = total;
        }

        for (var i = 0; i < _cumulative.Length; i++)
        {
            _cumulative[i] /= total;
        }
    }

    public IReadOnlyList<IMutationOperator> Operators => _operators;

    /// <summary>Called after a child is evaluated: the proposal, its parent's score and its own (null when incorrect).</summary>
    public Action<Proposal, double?, double?>? Reward { get; init; }

    /// <summary>The ensemble's state to store on the run, when there is one.</summary>
    public Func<string?>? SaveState { get; init; }

    /// <summary>Writes a new meta-memory summary from the previous one and recent programs.</summary>
    public Func<string?, IReadOnlyList<RecentProgram>, CancellationToken, Task<string?>>? Summarize { get; init; }

    /// <summary>A learning choice of operator (index into <see cref="Operators"/>) that replaces the fixed weights, when there is one.</summary>
    public Func<Random, int>? Choose { get; init; }

    /// <summary>
    /// These operators and <paramref name="extra"/>, drawn for <paramref name="share"/> (0 to 1) of the draws; the
    /// others keep their relative weights, and the hooks stay.
    /// </summary>
    public RunOperators With(IMutationOperator extra, double share)
    {
        ArgumentNullException.ThrowIfNull(extra);
        var total = _weighted.Sum(w => w.Weight);
        return new RunOperators([.. _weighted.Select(w => (w.Operator, w.Weight / total * (1 - share))), (extra, share)])
        {
            Reward = Reward,
            SaveState = SaveState,
            Summarize = Summarize,

            // A learning choice keeps choosing among the others; the extra one takes its share first.
            Choose = Choose is { } choose ? random => random.NextDouble() < share ? _weighted.Count : choose(random) : null,
        };
    }

    public IMutationOperator Pick(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (Choose is { } choose)
        {
            return _operators[choose(random)];
        }

        var u = random.NextDouble();
        var index = Array.FindIndex(_cumulative, c => u < c);
        return _operators[index < 0 ? _operators.Count - 1 : index];
    }
}
