using System.Text.Json;
using EvoCode.Evaluators.Catalog;
using EvoCode.Evaluators.Contract;
using EvoCode.Evaluators.Examples;
using EvoCode.Evaluators.Tests.Runners;

namespace EvoCode.Evaluators.Tests.Examples;

public sealed class ExampleLibraryTests(CandidateRunnerFixture fixture)
{
    private readonly ICandidateRunner _runner = fixture.Runner;

    [Fact]
    public void LoadAll_ExamplesFolder_LoadsEveryProblemWithPublishedValue()
    {
        var problems = ExampleLibrary.LoadAll(Repository.Examples);

        Assert.Equal(
            ["bin-packing-or3-weibull", "circle-packing-26", "circle-packing-32", "heilbronn-convex-13", "heilbronn-convex-14", "heilbronn-triangle-11", "min-max-ratio-2d-16", "min-max-ratio-3d-14", "python-circle-packing-26", "python-rastrigin"],
            problems.Select(p => p.Name));
        Assert.All(problems, p =>
        {
            Assert.NotNull(p.Published);
            Assert.False(string.IsNullOrWhiteSpace(p.Published.Source));
            Assert.Contains(ExampleLibrary.BlockStart, p.Seed, StringComparison.Ordinal);
            Assert.True(p.Task.Length > 100, $"{p.Name}: the task text is too short to guide a model.");
        });
    }

    [Fact]
    public void Load_ExternalCommandExample_InlinesEvaluatorFiles()
    {
        var problem = ExampleLibrary.Load(Path.Combine(Repository.Examples, "python-rastrigin"));

        Assert.Equal("python", problem.Language);
        Assert.Contains("def main", problem.EvaluatorParameters.GetProperty("files").GetProperty("score.py").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BadFolder_ReportsFieldErrors()
    {
        var folder = Directory.CreateTempSubdirectory("evocode-example-test-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "problem.json"), """{"name": "x", "evaluator": {"id": "circle-packing", "parameters": {"n": -3}}}""");
            File.WriteAllText(Path.Combine(folder.FullName, "seed.cs"), "public static class CirclePacking { }");

            var e = Assert.Throws<ProblemDefinitionException>(() => ExampleLibrary.Load(folder.FullName));

            Assert.Contains("title", e.Errors.Keys);
            Assert.Contains("task", e.Errors.Keys);
            Assert.Contains("evaluator.parameters.n", e.Errors.Keys);
            Assert.Contains("EVOLVE-BLOCK-START", Assert.Single(e.Errors["seedFile"]), StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("circle-packing-26", "sum_radii", "0.9597642")]
    [InlineData("circle-packing-32", "sum_radii", "0.9597642")]
    [InlineData("min-max-ratio-2d-16", "ratio_squared", "18")]
    [InlineData("min-max-ratio-3d-14", "ratio_squared", "9")]
    public async Task Seed_EvaluatesToItsKnownValue(string name, string metric, string expected)
    {
        var (evaluator, problem) = Create(name);

        var result = await evaluator.EvaluateAsync(problem.Seed, _runner, new EvaluationContext(), TestContext.Current.CancellationToken);

        Assert.True(result.Correct, result.Error);
        Scoring.Constructions.AssertDigits(expected, result.Metrics[metric]);
    }

    [Theory]
    [InlineData("heilbronn-triangle-11")]
    [InlineData("heilbronn-convex-13")]
    [InlineData("heilbronn-convex-14")]
    public async Task Seed_HeilbronnSeeds_AreValidWithPositiveArea(string name)
    {
        var (evaluator, problem) = Create(name);

        var result = await evaluator.EvaluateAsync(problem.Seed, _runner, new EvaluationContext(), TestContext.Current.CancellationToken);

        Assert.True(result.Correct, result.Error);
        Assert.InRange(result.Score, 1e-6, problem.Published!.Value);
    }

    [Fact]
    public async Task Seed_BinPackingBestFit_RunsBothStagesWithPublishedFigures()
    {
        var (evaluator, problem) = Create("bin-packing-or3-weibull");

        var result = await evaluator.EvaluateAsync(problem.Seed, _runner, new EvaluationContext(), TestContext.Current.CancellationToken);

        Assert.True(result.Correct, result.Error);
        Assert.Equal("weibull5k", result.Stage);
        Scoring.Constructions.AssertDigits("5.37", result.Metrics["or3_excess_percent"]);
        Scoring.Constructions.AssertDigits("3.98", result.Metrics["weibull5k_excess_percent"]);
        Assert.Equal(-(result.Metrics["or3_excess_percent"] + result.Metrics["weibull5k_excess_percent"]) / 2, result.Score, 12);
        Assert.Equal(-result.Score, result.Metrics["excess_percent"], 12);
    }

    [Fact]
    public async Task Evaluate_BinPackingHeuristicBelowThreshold_StopsAfterOr3AndRanksBelowBestFit()
    {
        var (evaluator, problem) = Create("bin-packing-or3-weibull");
        var worstFit = problem.Seed.Replace("priorities[i] = -(bins[i] - item);", "priorities[i] = bins[i];", StringComparison.Ordinal);

        var result = await evaluator.EvaluateAsync(worstFit, _runner, new EvaluationContext(), TestContext.Current.CancellationToken);

        Assert.True(result.Correct, result.Error);
        Assert.Equal("or3", result.Stage);
        Assert.False(result.Metrics.ContainsKey("weibull5k_excess_percent"));
        Assert.True(result.Metrics["or3_excess_percent"] > 10);
        Assert.Equal(-result.Metrics["or3_excess_percent"] - 100, result.Score, 9);
        Assert.Contains(result.Artifacts, a => a.Name == "cascade" && a.Content.Contains("below the threshold", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Seed_PythonExample_ScoresMinusRastriginOfTheSeedPoint()
    {
        Prerequisites.RequirePython();
        var (evaluator, problem) = Create("python-rastrigin");

        var result = await evaluator.EvaluateAsync(problem.Seed, _runner, new EvaluationContext(), TestContext.Current.CancellationToken);

        Assert.True(result.Correct, result.Error);
        Assert.Equal(-131.25, result.Score, 9);
        Assert.Equal(131.25, result.Metrics["rastrigin"], 9);
    }

    [Fact]
    public async Task Seed_CirclePackingInPythonAndInCSharp_ScoreTheSameUnderTheSameStrictChecks()
    {
        Prerequisites.RequirePython();
        var (python, pythonProblem) = Create("python-circle-packing-26");
        var (csharp, csharpProblem) = Create("circle-packing-26");
        var context = new EvaluationContext();
        var ct = TestContext.Current.CancellationToken;

        var fromPython = await python.EvaluateAsync(pythonProblem.Seed, _runner, context, ct);
        var fromCSharp = await csharp.EvaluateAsync(csharpProblem.Seed, _runner, context, ct);

        Assert.True(fromPython.Correct, fromPython.Error);
        Assert.True(fromCSharp.Correct, fromCSharp.Error);
        Assert.Equal(0.9597642169950718, fromPython.Score, 12);
        Assert.Equal(fromCSharp.Score, fromPython.Score, 12);
        Assert.Equal(fromCSharp.Metrics["tolerance"], fromPython.Metrics["tolerance"]);
        Assert.Equal(csharpProblem.Published!.Value, pythonProblem.Published!.Value);
        Assert.Equal(csharpProblem.Published.Instance, pythonProblem.Published.Instance);
        Assert.Equal(fromCSharp.Artifacts.Select(a => a.Name).Order(), fromPython.Artifacts.Where(a => !a.Name.StartsWith("stderr", StringComparison.Ordinal)).Select(a => a.Name).Order());
    }

    [Fact]
    public async Task PythonCirclePacking_OverlapByOneUlp_IsRejectedByTheStrictCheck()
    {
        Prerequisites.RequirePython();
        var (python, _) = Create("python-circle-packing-26");

        // In doubles 0.7 - 0.3 = 0.39999999999999997, so two circles of radius 0.2 there overlap by one ulp.
        var rows = "[[0.3, 0.5, 0.2], [0.7, 0.5, 0.2]]";
        var source = $"import json\nprint(json.dumps({{\"rows\": {rows} + [[0.5, 0.9, 0.0]] * 24}}))\n";
        var result = await python.EvaluateAsync(source, _runner, new EvaluationContext(), TestContext.Current.CancellationToken);

        Assert.False(result.Correct);
        Assert.StartsWith("Circle 0 overlaps circle 1", result.Error, StringComparison.OrdinalIgnoreCase);
    }

    private static (IEvaluator Evaluator, ProblemDefinition Problem) Create(string name)
    {
        var problem = ExampleLibrary.Load(Path.Combine(Repository.Examples, name));
        return (EvaluatorCatalog.Default.Create(problem.EvaluatorId, problem.EvaluatorParameters), problem);
    }

    [Fact]
    public void Problem_SerializesForTheApi()
    {
        var problem = ExampleLibrary.Load(Path.Combine(Repository.Examples, "circle-packing-26"));

        var json = JsonSerializer.Serialize(problem);

        Assert.Contains("\"EvaluatorId\":\"circle-packing\"", json, StringComparison.Ordinal);
        Assert.Equal(2.6359830849176, problem.Published!.Value);
        Assert.Equal(new RunDefaults(1000, 4, 2.6359), problem.Run);
    }
}
