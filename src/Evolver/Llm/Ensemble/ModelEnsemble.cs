using System.Text.Json;
using System.Text.Json.Serialization;

namespace EvoCode.Evolver.Llm;

/// <summary>
/// A run's choice of model: fixed weights, or a UCB bandit rewarded by the child's improvement over its
/// parent (optionally cost-aware). Thread-safe. Its state is a small JSON string the engine stores on the
/// run and passes back on resume.
/// </summary>
public sealed class ModelEnsemble
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    private readonly EnsembleSettings _settings;
    private readonly string[] _names;
    private readonly Dictionary<string, ArmState> _arms;
    private readonly Lock _gate = new();
    private double _maxImprovement;

    /// <summary>Builds the ensemble; <paramref name="savedState"/> is what <see cref="SaveState"/> returned before (arms no longer configured are dropped, new ones start fresh).</summary>
    public ModelEnsemble(EnsembleSettings settings, string? savedState = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Models.Count == 0)
        {
            throw new ArgumentException("An ensemble needs at least one model.", nameof(settings));
        }

        if (settings.Policy is not (EnsembleSettings.FixedPolicy or EnsembleSettings.BanditPolicy))
        {
            throw new ArgumentException($"Unknown ensemble policy '{settings.Policy}': use '{EnsembleSettings.FixedPolicy}' or '{EnsembleSettings.BanditPolicy}'.", nameof(settings));
        }

        if (settings.Policy == EnsembleSettings.FixedPolicy && !settings.Models.Values.Any(w => w > 0))
        {
            throw new ArgumentException("A fixed ensemble needs a positive weight.", nameof(settings));
        }

        _settings = settings;
        _names = [.. settings.Models.Keys.Order(StringComparer.Ordinal)];
        _arms = _names.ToDictionary(n => n, _ => new ArmState(), StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(savedState))
        {
            var saved = JsonSerializer.Deserialize<SavedState>(savedState, s_json) ?? throw new FormatException("The saved ensemble state is empty.");
            _maxImprovement = saved.MaxImprovement;
            foreach (var (name, arm) in saved.Arms ?? [])
            {
                if (_arms.ContainsKey(name))
                {
                    _arms[name] = arm;
                }
            }
        }
    }

    /// <summary>The policy in force.</summary>
    public string Policy => _settings.Policy;

    /// <summary>A copy of the statistics per model, for dashboards and tests.</summary>
    public IReadOnlyDictionary<string, ArmState> Arms
    {
        get
        {
            lock (_gate)
            {
                return _arms.ToDictionary(p => p.Key, p => p.Value with { }, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Picks the model for the next proposal.</summary>
    public string Pick(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        lock (_gate)
        {
            return _settings.Policy == EnsembleSettings.BanditPolicy ? PickBandit(random) : PickWeighted(random);
        }
    }

    /// <summary>
    /// Tells the ensemble how a model's proposal did: <paramref name="improvement"/> = max(0, child score − parent score)
    /// in the problem's better direction (0 for a failed proposal or child), and the proposal's cost when known.
    /// </summary>
    public void Reward(string model, double improvement, decimal? cost)
    {
        ArgumentNullException.ThrowIfNull(model);
        lock (_gate)
        {
            if (!_arms.TryGetValue(model, out var arm))
            {
                return;
            }

            var gain = double.IsFinite(improvement) ? Math.Max(0, improvement) : 0;
            _maxImprovement = Math.Max(_maxImprovement, gain);
            arm.Pulls++;
            arm.RewardSum += gain;
            if (cost is { } c)
            {
                arm.CostSum += (double)c;
                arm.CostedPulls++;
            }
        }
    }

    /// <summary>The state to store on the run.</summary>
    public string SaveState()
    {
        lock (_gate)
        {
            return JsonSerializer.Serialize(new SavedState(_settings.Policy, _maxImprovement, _arms.ToDictionary(p => p.Key, p => p.Value with { }, StringComparer.Ordinal)), s_json);
        }
    }

    private string PickWeighted(Random random)
    {
        var total = _names.Sum(n => Math.Max(0, _settings.Models[n]));
        var x = random.NextDouble() * total;
        foreach (var name in _names)
        {
            x -= Math.Max(0, _settings.Models[name]);
            if (x < 0)
            {
                return name;
            }
        }

        return _names.Last(n => _settings.Models[n] > 0);
    }

    private string PickBandit(Random random)
    {
        // Draw the epsilon coin every time so that the random stream does not depend on the state.
        var explore = random.NextDouble() < _settings.Epsilon;
        var uniform = random.Next(_names.Length);
        if (explore)
        {
            return _names[uniform];
        }

        var untried = _names.FirstOrDefault(n => _arms[n].Pulls == 0);
        if (untried is not null)
        {
            return untried;
        }

        var totalPulls = _names.Sum(n => _arms[n].Pulls);
        var meanCosts = _names.Where(n => _arms[n].CostedPulls > 0).Select(n => _arms[n].CostSum / _arms[n].CostedPulls).ToList();
        var maxMeanCost = meanCosts.Count > 0 ? meanCosts.Max() : 0;
        var lambda = Math.Clamp(_settings.CostAwareness, 0, 1);
        string? best = null;
        var bestScore = double.NegativeInfinity;
        foreach (var name in _names)
        {
            var arm = _arms[name];
            var mean = _maxImprovement > 0 ? arm.RewardSum / arm.Pulls / _maxImprovement : 0;
            var bonus = _settings.ExplorationConstant * Math.Sqrt(Math.Log(totalPulls) / arm.Pulls);
            var score = mean + bonus;
            if (lambda > 0)
            {
                // Unknown cost counts as cheapest: optimism, so a model is not punished for a provider that reports no usage.
                var cheapness = arm.CostedPulls > 0 && maxMeanCost > 0 ? 1 - (arm.CostSum / arm.CostedPulls / maxMeanCost) : 1;
                score = ((1 - lambda) * score) + (lambda * (cheapness + bonus));
            }

            if (score > bestScore)
            {
                bestScore = score;
                best = name;
            }
        }

        return best!;
    }

    /// <summary>Statistics of one model.</summary>
    public sealed record ArmState
    {
        /// <summary>Rewards received.</summary>
        public int Pulls { get; set; }

        /// <summary>Sum of raw improvements.</summary>
        public double RewardSum { get; set; }

        /// <summary>Sum of known costs.</summary>
        public double CostSum { get; set; }

        /// <summary>Rewards that came with a known cost.</summary>
        public int CostedPulls { get; set; }
    }

    private sealed record SavedState(string Policy, double MaxImprovement, Dictionary<string, ArmState>? Arms);
}
