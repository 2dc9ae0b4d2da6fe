namespace EvoCode.Evolver.Llm;

/// <summary>How a run picks its model for each proposal.</summary>
public sealed record EnsembleSettings
{
    /// <summary>Fixed weights.</summary>
    public const string FixedPolicy = "fixed";

    /// <summary>UCB bandit rewarded by improvement over the parent.</summary>
    public const string BanditPolicy = "bandit";

    /// <summary><see cref="FixedPolicy"/> or <see cref="BanditPolicy"/>.</summary>
    public string Policy { get; init; } = FixedPolicy;

    /// <summary>Model names with weights (weights are used by the fixed policy; the bandit uses the names).</summary>
    public IReadOnlyDictionary<string, double> Models { get; init; } = new Dictionary<string, double>();

    /// <summary>UCB exploration constant c in mean + c·sqrt(ln N / n).</summary>
    public double ExplorationConstant { get; init; } = 1.0;

    /// <summary>Weight in [0, 1] of cheapness against reward (0 ignores cost), as ShinkaEvolve's cost-aware UCB.</summary>
    public double CostAwareness { get; init; }

    /// <summary>Probability of a uniform pick, so no model is starved.</summary>
    public double Epsilon { get; init; } = 0.1;
}
