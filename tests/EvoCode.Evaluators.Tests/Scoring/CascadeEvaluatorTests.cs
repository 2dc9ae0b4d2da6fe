using System.Text.Json;
using EvoCode.Evaluators.Catalog;
using EvoCode.Evaluators.Contract;
using EvoCode.Evaluators.Problems.BinPacking;
using EvoCode.Evaluators.Tests.Runners;

namespace EvoCode.Evaluators.Tests.Scoring;

public sealed class CascadeEvaluatorTests
{
    private static string BestFitOr3() => JsonSerializer.Serialize(new
    {
        dataset = BinPackingDatasets.Or3,
        instances = BinPackingDatasets.Get(BinPackingDatasets.Or3).Select(i => new { name = i.Name, bins = OnlineBinPacking.Pack(i, (item, bins) => [.. bins.Select(b => -(b - item))]) }),
    });

    private static CandidateRun Ok(string output, string? log = null) => new(RunOutcome.Ok, output, log, [], null, TimeSpan.FromMilliseconds(5));

    [Fact]
    public async Task Evaluate_SecondStageTimesOut_IsIncorrectButKeepsFirstStageMetrics()
    {
        var runner = new ScriptedRunner(Ok(BestFitOr3()), CandidateRun.Failed(RunOutcome.TimeLimit, "The run exceeded its wall-clock limit of 60 s.", TimeSpan.FromSeconds(60)));
        var evaluator = BuiltInEvaluators.BinPacking([BinPackingDatasets.Or3, BinPackingDatasets.Weibull5k]);

        var result = await evaluator.EvaluateAsync("source", runner, new EvaluationContext(Seed: 7), TestContext.Current.CancellationToken);

        Assert.False(result.Correct);
        Assert.Equal(RunOutcome.TimeLimit, result.Outcome);
        Assert.Equal("weibull5k", result.Stage);
        Assert.Equal("The program ran past its time limit. The run exceeded its wall-clock limit of 60 s.", result.Error);
        Constructions.AssertDigits("5.37", result.Metrics["or3_excess_percent"]);
        Assert.Equal(["bin-packing", "bin-packing"], runner.Invocations.Select(i => i.Harness));
        Assert.All(runner.Invocations, i => Assert.Equal(7, i.Seed));
        Assert.Equal(TimeSpan.FromSeconds(60.005), result.RunTime);
    }

    [Fact]
    public async Task Evaluate_ContextLimits_OverrideTheEvaluatorsDefaults()
    {
        var runner = new ScriptedRunner(Ok(BestFitOr3()));
        var limits = new RunLimits(TimeSpan.FromSeconds(3), 1 << 28, 1 << 20);

        await BuiltInEvaluators.BinPacking([BinPackingDatasets.Or3]).EvaluateAsync("source", runner, new EvaluationContext(Limits: limits), TestContext.Current.CancellationToken);

        Assert.Equal(limits, Assert.Single(runner.Invocations).Limits);
    }

    [Fact]
    public async Task Evaluate_CandidateLog_IsAnArtifactForTheModelAndNeverScored()
    {
        var runner = new ScriptedRunner(Ok("""{"rows":[[0.5,0.5,0.5]]}""", log: """{"rows":[[0.5,0.5,0.9]], "score": 99}"""));

        var result = await BuiltInEvaluators.CirclePacking(1).EvaluateAsync("source", runner, new EvaluationContext(), TestContext.Current.CancellationToken);

        Assert.True(result.Correct, result.Error);
        Assert.Equal(0.5, result.Score);
        Assert.True(Assert.Single(result.Artifacts, a => a.Name == "log:pack").ForModel);
    }

    [Fact]
    public async Task Evaluate_HarnessReturnedNonFiniteJson_IsIncorrect()
    {
        var runner = new ScriptedRunner(Ok("""{"rows":[[0.5,0.5,"-Infinity"]]}"""));

        var result = await BuiltInEvaluators.CirclePacking(1).EvaluateAsync("source", runner, new EvaluationContext(), TestContext.Current.CancellationToken);

        Assert.False(result.Correct);
        Assert.Equal("Circle 0 has a non-finite radius (-Infinity).", result.Error);
    }
}
