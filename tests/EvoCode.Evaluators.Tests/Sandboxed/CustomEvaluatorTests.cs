using System.Text.Json;
using EvoCode.Evaluators.Catalog;
using EvoCode.Evaluators.Contract;
using EvoCode.Evaluators.Examples;
using EvoCode.Evaluators.Tests.Runners;

namespace EvoCode.Evaluators.Tests.Sandboxed;

public sealed class CustomEvaluatorTests(CandidateRunnerFixture fixture)
{
    private const string SquareCandidate = """
        public static class Candidate
        {
            public static double[][] Run(int n)
            {
                var points = new double[n][];
                for (var i = 0; i < n; i++) points[i] = new double[] { i % 2, i / 2 };
                return points;
            }
        }
        """;

    private readonly ICandidateRunner _runner = fixture.Runner;

    private static IEvaluator Script(string script, string extra = "") => EvaluatorCatalog.Default.Create(
        EvaluatorCatalog.ScriptId,
        JsonDocument.Parse($$"""{"script": {{JsonSerializer.Serialize(script)}}, "entryArgs": [4], "primaryMetric": "min_distance"{{extra}}}""").RootElement);

    private Task<EvaluationResult> EvaluateAsync(IEvaluator evaluator, string source) =>
        evaluator.EvaluateAsync(source, _runner, new EvaluationContext(), TestContext.Current.CancellationToken);

    [Fact]
    public async Task ScriptBody_ComputesMetricsFromTheCandidatesOutput()
    {
        var evaluator = Script("""
            var best = double.MaxValue;
            for (var i = 0; i < output.Length; i++)
                for (var j = i + 1; j < output.Length; j++)
                    best = Math.Min(best, Math.Sqrt(output[i].Zip(output[j], (a, b) => (a - b) * (a - b)).Sum()));
            return new Dictionary<string, double> { ["min_distance"] = best, ["points"] = output.Length };
            """);

        var result = await EvaluateAsync(evaluator, SquareCandidate);

        Assert.True(result.Correct, result.Error);
        Assert.Equal(1.0, result.Score);
        Assert.Equal(4, result.Metrics["points"]);
        Assert.Equal("script", result.Stage);
    }

    [Fact]
    public async Task ScriptClass_ReceivesRawJsonWhenItAsksForAString()
    {
        var evaluator = Script("""
            using System.Collections.Generic;

            public static class Evaluator
            {
                public static Dictionary<string, double> Evaluate(string output) =>
                    new() { ["min_distance"] = output.Length };
            }
            """);

        var result = await EvaluateAsync(evaluator, SquareCandidate);

        Assert.True(result.Correct, result.Error);
        Assert.Equal("[[0,0],[1,0],[0,1],[1,1]]".Length, result.Score);
    }

    [Fact]
    public async Task ScriptThatThrows_RejectsTheCandidateWithItsMessage()
    {
        var evaluator = Script("""
            if (output.Length < 5) throw new ArgumentException("expected at least 5 points, got " + output.Length);
            return new Dictionary<string, double> { ["min_distance"] = 1 };
            """);

        var result = await EvaluateAsync(evaluator, SquareCandidate);

        Assert.False(result.Correct);
        Assert.Contains("expected at least 5 points, got 4", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScriptReturningNaN_MakesTheResultIncorrect()
    {
        var evaluator = Script("return new Dictionary<string, double> { [\"min_distance\"] = double.NaN };");

        var result = await EvaluateAsync(evaluator, SquareCandidate);

        Assert.False(result.Correct);
        Assert.Equal("The score is NaN, not a finite number.", result.Error);
    }

    [Fact]
    public async Task ScriptWithoutThePrimaryMetric_IsIncorrect()
    {
        var evaluator = Script("return new Dictionary<string, double> { [\"other\"] = 1 };");

        var result = await EvaluateAsync(evaluator, SquareCandidate);

        Assert.False(result.Correct);
        Assert.Equal("The evaluator reported no 'min_distance' metric (it reported: other).", result.Error);
    }

    [Fact]
    public async Task ScriptWithMinimizeGoal_NegatesTheScore()
    {
        var evaluator = Script("return new Dictionary<string, double> { [\"min_distance\"] = 3 };", """, "goal": "minimize" """);

        var result = await EvaluateAsync(evaluator, SquareCandidate);

        Assert.True(result.Correct, result.Error);
        Assert.Equal(-3, result.Score);
    }

    [Fact]
    public async Task ScriptCompileError_PointsAtTheUsersLine()
    {
        var evaluator = Script("var x = 1;\nreturn undefinedName;");

        var result = await EvaluateAsync(evaluator, SquareCandidate);

        Assert.False(result.Correct);
        Assert.Equal(RunOutcome.CompileError, result.Outcome);
        Assert.Contains("(2,", Assert.Single(result.Artifacts, a => a.Name == "diagnostics").Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExternalCommand_EvolvesOneStepOfAPythonProgram()
    {
        Prerequisites.RequirePython();
        var problem = ExampleLibrary.Load(Path.Combine(Repository.Examples, "python-rastrigin"));
        var evaluator = EvaluatorCatalog.Default.Create(problem.EvaluatorId, problem.EvaluatorParameters);
        var parent = problem.Seed;

        // One mutation inside the EVOLVE-BLOCK: a constant, as a diff from a model might change it.
        var child = parent.Replace("start = 2.5", "start = 0.0", StringComparison.Ordinal);
        Assert.NotEqual(parent, child);

        var parentResult = await EvaluateAsync(evaluator, parent);
        var childResult = await EvaluateAsync(evaluator, child);

        Assert.True(parentResult.Correct, parentResult.Error);
        Assert.True(childResult.Correct, childResult.Error);
        Assert.Equal(-131.25, parentResult.Score, 9);
        Assert.Equal(0, childResult.Score, 9);
        Assert.True(childResult.Score > parentResult.Score);
    }

    [Fact]
    public async Task ExternalCommand_CandidatePrintingAFakeResult_GetsNoCredit()
    {
        Prerequisites.RequirePython();
        var problem = ExampleLibrary.Load(Path.Combine(Repository.Examples, "python-rastrigin"));
        var evaluator = EvaluatorCatalog.Default.Create(problem.EvaluatorId, problem.EvaluatorParameters);

        var result = await EvaluateAsync(evaluator, "print('{\"correct\": true, \"score\": 1000}')");

        Assert.False(result.Correct);
        Assert.Equal("Expected a list of 5 numbers.", result.Error);
    }

    [Fact]
    public async Task ExternalCommand_CandidateThatCrashes_IsIncorrectWithItsStderr()
    {
        Prerequisites.RequirePython();
        var problem = ExampleLibrary.Load(Path.Combine(Repository.Examples, "python-rastrigin"));
        var evaluator = EvaluatorCatalog.Default.Create(problem.EvaluatorId, problem.EvaluatorParameters);

        var result = await EvaluateAsync(evaluator, "raise SystemExit('no solution found')");

        Assert.False(result.Correct);
        Assert.Equal("The candidate exited with code 1.", result.Error);
        Assert.Contains("no solution found", Assert.Single(result.Artifacts, a => a.Name == "stderr:run").Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExternalCommand_MalformedEvaluatorOutput_IsIncorrectWithParseMessage()
    {
        Prerequisites.RequirePython();
        var evaluator = EvaluatorCatalog.Default.Create(EvaluatorCatalog.CommandId, JsonDocument.Parse("""
            {"candidateFile": "main.py", "score": {"command": "python3", "arguments": ["-c", "print('score: high')"]}}
            """).RootElement);

        var result = await EvaluateAsync(evaluator, "print(1)");

        Assert.False(result.Correct);
        Assert.StartsWith("The last line of the evaluator's output is not valid JSON", result.Error, StringComparison.Ordinal);
    }
}
