using EvoCode.Evaluators.Catalog;
using EvoCode.Evaluators.Contract;
using EvoCode.Evaluators.Tests.Runners;

namespace EvoCode.Evaluators.Tests.Sandboxed;

/// <summary>Candidates that try to get credit they did not earn get none.</summary>
public sealed class RewardHackingTests(CandidateRunnerFixture fixture)
{
    private readonly ICandidateRunner _runner = fixture.Runner;

    [Fact]
    public async Task Evaluate_HonestGrid_IsCorrectAndScoresTheRecomputedSum()
    {
        var result = await Candidates.EvaluateAsync(Candidates.Packing(), _runner, Candidates.CirclePacking(Candidates.GridBody));

        Assert.True(result.Correct, result.Error);
        Assert.Equal(Candidates.GridSum26, result.Score, 12);
        Assert.Equal("pack", result.Stage);
    }

    [Fact]
    public async Task Evaluate_MoreCirclesThanAsked_IsRejected()
    {
        var source = Candidates.CirclePacking("""
            var rows = new List<double[]>();
            for (var i = 0; i <= n; i++) rows.Add(new[] { 0.5, 0.5, 0.0 });
            return rows.ToArray();
            """);

        var result = await Candidates.EvaluateAsync(Candidates.Packing(), _runner, source);

        Assert.False(result.Correct);
        Assert.Equal("Expected 26 circles, got 27.", result.Error);
        Assert.Equal(0, result.Score);
    }

    [Fact]
    public async Task Evaluate_ArraysChangedAfterTheyWereReturned_ScoresWhatWasReturned()
    {
        // Hands out valid rows one by one; once the last has been handed over, grows every radius it handed out.
        // (A hand-written enumerator rather than `yield`, whose generated code the sandbox policy may refuse.)
        var source = """
            using System;
            using System.Collections;
            using System.Collections.Generic;

            public static class CirclePacking
            {
                public static IEnumerable<double[]> Pack(int n) => new Rows(n);

                private sealed class Rows(int n) : IEnumerable<double[]>, IEnumerator<double[]>
                {
                    private readonly List<double[]> _handedOut = new();
                    private int _index = -1;

                    public double[] Current => _handedOut[_index];
                    object IEnumerator.Current => Current;

                    public bool MoveNext()
                    {
                        _index++;
                        if (_index == n)
                        {
                            foreach (var row in _handedOut) row[2] = 10;
                            return false;
                        }

                        var side = (int)Math.Ceiling(Math.Sqrt(n));
                        var r = 0.5 / side;
                        _handedOut.Add(new[] { r + (2 * r * (_index % side)), r + (2 * r * (_index / side)), r * 0.999 });
                        return true;
                    }

                    public IEnumerator<double[]> GetEnumerator() => this;
                    IEnumerator IEnumerable.GetEnumerator() => this;
                    public void Reset() { }
                    public void Dispose() { }
                }
            }
            """;

        var result = await Candidates.EvaluateAsync(Candidates.Packing(), _runner, source);

        Assert.True(result.Correct, result.Error);
        Assert.Equal(Candidates.GridSum26, result.Score, 12);
    }

    [Fact]
    public async Task Evaluate_SequenceThatChangesOnEveryPass_IsReadOnce()
    {
        // A second pass (say, scoring after validating) would see radii of 0.4.
        var source = $$"""
            using System;
            using System.Collections.Generic;
            using System.Linq;

            public static class CirclePacking
            {
                private static int s_passes;

                public static IEnumerable<double[]> Pack(int n) =>
                    Enumerable.Range(0, n).Select(i =>
                    {
                        if (i == 0) s_passes++;
                        var side = (int)Math.Ceiling(Math.Sqrt(n));
                        var r = 0.5 / side;
                        return new[] { r + (2 * r * (i % side)), r + (2 * r * (i / side)), s_passes == 1 ? r * 0.999 : 0.4 };
                    });
            }
            """;

        var result = await Candidates.EvaluateAsync(Candidates.Packing(), _runner, source);

        Assert.True(result.Correct, result.Error);
        Assert.Equal(Candidates.GridSum26, result.Score, 12);
    }

    [Fact]
    public async Task Evaluate_NaNRadius_IsRejected()
    {
        var source = Candidates.CirclePacking(Candidates.GridBody.Replace("return rows;", "rows[0][2] = double.NaN; return rows;", StringComparison.Ordinal));

        var result = await Candidates.EvaluateAsync(Candidates.Packing(), _runner, source);

        Assert.False(result.Correct);
        Assert.Equal("Circle 0 has a non-finite radius (NaN).", result.Error);
    }

    [Fact]
    public async Task Evaluate_NaNCenters_CannotHideHugeRadii()
    {
        // The OpenEvolve exploit (issue #285): with NaN centres every comparison is false.
        var source = Candidates.CirclePacking("""
            return Enumerable.Range(0, n).Select(_ => new[] { double.NaN, double.NaN, 0.5 }).ToArray();
            """);

        var result = await Candidates.EvaluateAsync(Candidates.Packing(), _runner, source);

        Assert.False(result.Correct);
        Assert.Equal("Circle 0 has a non-finite x (NaN).", result.Error);
    }

    [Fact]
    public async Task Evaluate_HugeRadii_AreRejected()
    {
        var source = Candidates.CirclePacking(Candidates.GridBody.Replace("return rows;", "rows[5][2] = 1e300; return rows;", StringComparison.Ordinal));

        var result = await Candidates.EvaluateAsync(Candidates.Packing(), _runner, source);

        Assert.False(result.Correct);
        Assert.StartsWith("Circle 5 lies", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_ThrowsAfterWritingPartialOutput_GetsNoCredit()
    {
        var source = """
            using System;
            using EvoCode.Evaluators.Contract;

            public static class CirclePacking
            {
                public static double[][] Pack(int n, HarnessContext context)
                {
                    context.Output.WriteLine("{\"rows\":[[0.5,0.5,0.5]]}");
                    throw new InvalidOperationException("gave up half way");
                }
            }
            """;

        var result = await Candidates.EvaluateAsync(Candidates.Packing(1), _runner, source);

        Assert.False(result.Correct);
        Assert.Equal(RunOutcome.RuntimeError, result.Outcome);
        Assert.Contains("gave up half way", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, result.Score);
        Assert.Contains(result.Artifacts, a => a.Name == "log:pack" && a.Content.Contains("rows", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Evaluate_CandidateThatClaimsAScore_IsScoredFromItsRadiiOnly()
    {
        var source = Candidates.CirclePacking(
            "context.Output.WriteLine(\"{\\\"correct\\\": true, \\\"score\\\": 99, \\\"sum_radii\\\": 99}\");\n" + Candidates.GridBody)
            .Replace("Pack(int n)", "Pack(int n, HarnessContext context)", StringComparison.Ordinal);

        var result = await Candidates.EvaluateAsync(Candidates.Packing(), _runner, source);

        Assert.True(result.Correct, result.Error);
        Assert.Equal(Candidates.GridSum26, result.Score, 12);
        Assert.Equal(result.Score, result.Metrics["sum_radii"]);
    }

    [Fact]
    public async Task Evaluate_ScoreSmuggledAsAFourthColumn_IsRejected()
    {
        var source = Candidates.CirclePacking(Candidates.GridBody.Replace("r * 0.999 }", "r * 0.999, 99.0 }", StringComparison.Ordinal));

        var result = await Candidates.EvaluateAsync(Candidates.Packing(), _runner, source);

        Assert.False(result.Correct);
        Assert.Equal("Circle 0 has 4 values; each row must be x, y, r.", result.Error);
    }

    [Fact]
    public async Task Evaluate_CompileError_IsIncorrectWithDiagnosticsForTheModel()
    {
        var result = await Candidates.EvaluateAsync(Candidates.Packing(), _runner, Candidates.CirclePacking("return undefinedThing;"));

        Assert.False(result.Correct);
        Assert.Equal(RunOutcome.CompileError, result.Outcome);
        var diagnostics = Assert.Single(result.Artifacts, a => a.Name == "diagnostics");
        Assert.Contains("CS0103", diagnostics.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_MissingEntryPoint_SaysWhatIsExpected()
    {
        var result = await Candidates.EvaluateAsync(Candidates.Packing(), _runner, "public static class Packer { public static double[][] Pack(int n) => new double[0][]; }");

        Assert.False(result.Correct);
        Assert.Equal(RunOutcome.RuntimeError, result.Outcome);
        Assert.Contains("no type named 'CirclePacking'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_BinPackingHeuristicThatTampersWithItsInputs_ScoresAsBestFit()
    {
        // Keeps the last priorities and bins it saw and rewrites them on the next call.
        var source = """
            public static class BinPacking
            {
                private static double[]? s_lastPriorities;
                private static double[]? s_lastBins;

                public static double[] Priority(double item, double[] bins)
                {
                    if (s_lastPriorities is not null) { for (var i = 0; i < s_lastPriorities.Length; i++) s_lastPriorities[i] = i; }
                    if (s_lastBins is not null) { for (var i = 0; i < s_lastBins.Length; i++) s_lastBins[i] = 1000; }
                    var priorities = new double[bins.Length];
                    for (var i = 0; i < bins.Length; i++) priorities[i] = -(bins[i] - item);
                    s_lastPriorities = priorities;
                    s_lastBins = bins;
                    return priorities;
                }
            }
            """;

        var result = await Candidates.EvaluateAsync(BuiltInEvaluators.BinPacking(["or3"]), _runner, source);

        Assert.True(result.Correct, result.Error);
        Assert.Equal(212.0, result.Metrics["or3_bins"], 9);
    }
}
