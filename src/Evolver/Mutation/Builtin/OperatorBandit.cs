using System.Text.Json;

namespace EvoCode.Evolver.Mutation.Builtin;

/// <summary>
/// A probability-matching bandit over a run's built-in operators: an operator's share is its configured weight times
/// its smoothed success rate, (improved + 1) / (evaluated + 2), never below <see cref="Floor"/> times the weight, so an
/// operator that never improves its parent loses nearly all of its share but is still tried now and then. Rewarded,
/// like the model ensemble, after each evaluated child; one draw per pick, so lockstep runs stay reproducible.
/// Thread-safe; its state is a small JSON document stored on the run.
/// </summary>
public sealed class OperatorBandit
{
    /// <summary>The smallest success rate an operator's share is computed from.</summary>
    public const double Floor = 0.02;

    private readonly string[] _names;
    private readonly double[] _weights;
    private readonly Dictionary<string, Arm> _arms;
    private readonly Lock _gate = new();

    public OperatorBandit(IReadOnlyList<(string Name, double Weight)> operators, IReadOnlyDictionary<string, Arm>? saved = null)
    {
        ArgumentNullException.ThrowIfNull(operators);
        _names = [.. operators.Select(o => o.Name)];
        _weights = [.. operators.Select(o => o.Weight)];
        _arms = _names.ToDictionary(n => n, n => saved?.GetValueOrDefault(n) is { } arm ? arm with { } : new Arm(), StringComparer.Ordinal);
    }

    /// <summary>A copy of the counts per operator, for tests and the run's state.</summary>
    public IReadOnlyDictionary<string, Arm> Arms
    {
        get
        {
            lock (_gate)
            {
                return _arms.ToDictionary(p => p.Key, p => p.Value with { }, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Each operator's current share, in the order the operators were given.</summary>
    public IReadOnlyList<double> Shares()
    {
        lock (_gate)
        {
            var raw = _names.Select((n, i) => _weights[i] * Math.Max(Floor, (_arms[n].Improved + 1.0) / (_arms[n].Evaluated + 2.0))).ToArray();
            var total = raw.Sum();
            return [.. raw.Select(r => r / total)];
        }
    }

    /// <summary>The index of the operator to run next.</summary>
    public int Pick(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var shares = Shares();
        var u = random.NextDouble();
        for (var i = 0; i < shares.Count; i++)
        {
            u -= shares[i];
            if (u < 0)
            {
                return i;
            }
        }

        return shares.Count - 1;
    }

    /// <summary>One evaluated child of <paramref name="name"/>: whether it beat its parent. Unknown names are ignored.</summary>
    public void Reward(string name, bool improved)
    {
        lock (_gate)
        {
            if (_arms.TryGetValue(name, out var arm))
            {
                arm.Evaluated++;
                arm.Improved += improved ? 1 : 0;
            }
        }
    }

    public string Save(double stepScale) => JsonSerializer.Serialize(new SavedState(Arms.ToDictionary(), stepScale), JsonSerializerOptions.Web);

    /// <summary>Reads what <see cref="Save"/> wrote; <c>null</c> for no state or a state of another kind (a model ensemble's).</summary>
    public static SavedState? Restore(string? state)
    {
        if (string.IsNullOrWhiteSpace(state))
        {
            return null;
        }

        var saved = JsonSerializer.Deserialize<SavedState>(state, JsonSerializerOptions.Web);
        return saved is { Operators: not null, StepScale: > 0 } ? saved : null;
    }

    /// <summary>Counts of one operator.</summary>
    public sealed record Arm
    {
        public long Evaluated { get; set; }

        public long Improved { get; set; }
    }

    /// <summary>The bandit's counts and the literal step, as stored on the run.</summary>
    public sealed record SavedState(Dictionary<string, Arm>? Operators, double StepScale);
}
