using EvoCode.Evolver.Mutation;

namespace EvoCode.Evolver.Engine;

/// <summary>
/// The operators one run uses, with their weights, and the hooks an adaptive model ensemble needs: a reward
/// after each evaluated child, its state to store, and an optional meta-memory summarizer.
/// </summary>
public sealed class RunOperators
{
    private readonly IReadOnlyList<IMutationOperator> _operators;
    private readonly double[] _cumulative;

    public RunOperators(IReadOnlyList<(IMutationOperator Operator, double Weight)> weighted)
    {
        ArgumentNullException.ThrowIfNull(weighted);
        var usable = weighted.Where(w => w.Weight > 0).ToList();
        if (usable.Count == 0)
        {
            throw new ArgumentException("A run needs at least one operator with a positive weight.", nameof(weighted));
        }

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
