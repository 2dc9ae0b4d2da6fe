using EvoCode.Evolver.Llm;

namespace EvoCode.Llm.Tests;

public sealed class EnsembleTests
{
    private static readonly EnsembleSettings Bandit = new()
    {
        Policy = EnsembleSettings.BanditPolicy,
        Models = new Dictionary<string, double> { ["a"] = 1, ["b"] = 1, ["c"] = 1 },
        Epsilon = 0,
    };

    [Fact]
    public void Pick_FixedWeights_NeverPicksAZeroWeightAndFollowsTheWeights()
    {
        var ensemble = new ModelEnsemble(new EnsembleSettings { Models = new Dictionary<string, double> { ["a"] = 3, ["b"] = 1, ["c"] = 0 } });
        var random = new Random(42);

        var picks = Enumerable.Range(0, 2000).Select(_ => ensemble.Pick(random)).ToList();

        Assert.DoesNotContain("c", picks);
        Assert.InRange(picks.Count(p => p == "a") / 2000.0, 0.70, 0.80);
    }

    [Fact]
    public void Pick_Bandit_TriesEveryModelThenPrefersTheRewardedOne()
    {
        var ensemble = new ModelEnsemble(Bandit with { ExplorationConstant = 0.1 });
        var random = new Random(1);
        var firstThree = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var pick = ensemble.Pick(random);
            firstThree.Add(pick);
            ensemble.Reward(pick, pick == "b" ? 0.5 : 0, 0.01m);
        }

        var later = Enumerable.Range(0, 20).Select(_ =>
        {
            var pick = ensemble.Pick(random);
            ensemble.Reward(pick, pick == "b" ? 0.5 : 0, 0.01m);
            return pick;
        }).ToList();

        Assert.Equal(["a", "b", "c"], firstThree.Order());
        Assert.True(later.Count(p => p == "b") >= 15, string.Join(",", later));
    }

    [Fact]
    public void Pick_CostAwareBandit_PrefersTheCheaperOfEquallyGoodModels()
    {
        var ensemble = new ModelEnsemble(Bandit with { CostAwareness = 0.8, ExplorationConstant = 0.05 });
        var random = new Random(5);
        var picks = Enumerable.Range(0, 30).Select(_ =>
        {
            var pick = ensemble.Pick(random);
            ensemble.Reward(pick, 0.2, pick == "c" ? 0.001m : 0.05m);
            return pick;
        }).ToList();

        Assert.True(picks.Skip(3).Count(p => p == "c") >= 20, string.Join(",", picks));
    }

    [Fact]
    public void SaveState_RestoredEnsemble_ContinuesExactlyAsTheOriginal()
    {
        var original = new ModelEnsemble(Bandit with { Epsilon = 0.2, CostAwareness = 0.3 });
        var random = new Random(9);
        for (var i = 0; i < 12; i++)
        {
            var pick = original.Pick(random);
            original.Reward(pick, pick == "a" ? 0.3 : 0.1, pick == "c" ? null : 0.02m);
        }

        var state = original.SaveState();
        var restored = new ModelEnsemble(Bandit with { Epsilon = 0.2, CostAwareness = 0.3 }, state);
        var randomA = new Random(77);
        var randomB = new Random(77);
        var next = new List<(string, string)>();
        for (var i = 0; i < 15; i++)
        {
            var a = original.Pick(randomA);
            var b = restored.Pick(randomB);
            next.Add((a, b));
            original.Reward(a, 0.1, 0.01m);
            restored.Reward(b, 0.1, 0.01m);
        }

        Assert.All(next, p => Assert.Equal(p.Item1, p.Item2));
        Assert.Equal(original.SaveState(), restored.SaveState());
        Assert.True(state.Length < 600, state);
        Assert.Equal(12, new ModelEnsemble(Bandit, state).Arms.Values.Sum(a => a.Pulls));
    }

    [Fact]
    public void Constructor_SavedStateWithARemovedModel_DropsItAndStartsNewOnesFresh()
    {
        var old = new ModelEnsemble(Bandit);
        old.Reward("a", 1, 0.1m);
        old.Reward("c", 1, 0.1m);

        var resumed = new ModelEnsemble(Bandit with { Models = new Dictionary<string, double> { ["a"] = 1, ["d"] = 1 } }, old.SaveState());

        Assert.Equal(["a", "d"], resumed.Arms.Keys.Order());
        Assert.Equal((1, 0), (resumed.Arms["a"].Pulls, resumed.Arms["d"].Pulls));
    }

    [Fact]
    public void Constructor_UnknownPolicy_Throws() =>
        Assert.Throws<ArgumentException>(() => new ModelEnsemble(Bandit with { Policy = "greedy" }));
}
