using System.Globalization;
using System.Text.RegularExpressions;
using EvoCode.Evaluators.Contract;
using Microsoft.CodeAnalysis.CSharp;

namespace EvoCode.Evolver.Tests.Engine;

/// <summary>
/// A deterministic evaluator for engine tests: reads the constants assigned to x and y and scores
/// -((x - 3)^2 + (y + 1)^2), so the optimum 0 is reached by nudging literals. It runs nothing, so engine tests
/// do not depend on the sandbox; a source that does not parse is a CompileError, and "throw" crashes it.
/// </summary>
internal sealed partial class QuadraticEvaluator(int? throwEvery = null) : IEvaluator
{
    public const string Seed = """
        public static class Candidate
        {
            // EVOLVE-BLOCK-START
            public static double X()
            {
                double x = 1.0;
                double y = 2.0;
                return x + y;
            }
            // EVOLVE-BLOCK-END
        }
        """;

    private int _evaluations;
    private int _holdFrom = int.MaxValue;

    public int Evaluations => _evaluations;

    /// <summary>
    /// Makes evaluation number <paramref name="count"/> + 1 and later wait until cancelled, so a test can stop the engine
    /// mid-run however fast the machine is; <see cref="Release"/> lets them through again.
    /// </summary>
    public void HoldAfter(int count) => _holdFrom = count;

    public void Release() => _holdFrom = int.MaxValue;

    public EvaluatorDescriptor Descriptor { get; } = new(
        "quadratic",
        "fitness",
        [new MetricDefinition("fitness", MetricGoal.Maximize), new MetricDefinition("secret", MetricGoal.Maximize, ShownToModel: false)],
        "public static double X()",
        ["score"]);

    public async Task<EvaluationResult> EvaluateAsync(string source, ICandidateRunner runner, EvaluationContext context, CancellationToken cancellationToken)
    {
        var count = Interlocked.Increment(ref _evaluations);
        if (count > _holdFrom)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        return Score(source, count, cancellationToken);
    }

    private EvaluationResult Score(string source, int count, CancellationToken cancellationToken)
    {
        if (source.Contains("throw new", StringComparison.Ordinal) || count % throwEvery == 0)
        {
            throw new InvalidOperationException("evaluator bug triggered on purpose");
        }

        var diagnostics = CSharpSyntaxTree.ParseText(source, cancellationToken: cancellationToken).GetDiagnostics().ToList();
        if (diagnostics.Count > 0)
        {
            return EvaluationResult.Incorrect(diagnostics[0].ToString(), RunOutcome.CompileError);
        }

        var x = Read(source, "x");
        var y = Read(source, "y");
        if (x is null || y is null)
        {
            return EvaluationResult.Incorrect("x or y is no longer a constant.", RunOutcome.Ok, [Artifact.Feedback("validation", "x and y must stay literal constants")]);
        }

        var fitness = -(Math.Pow(x.Value - 3, 2) + Math.Pow(y.Value + 1, 2));
        return new EvaluationResult
        {
            Correct = true,
            Score = fitness,
            Metrics = new Dictionary<string, double> { ["fitness"] = fitness, ["secret"] = 42 },
            Artifacts = [Artifact.Feedback("values", $"x={x}, y={y}")],
        };
    }

    private static double? Read(string source, string name) =>
        Assignment(name).Match(source) is { Success: true } m ? double.Parse(m.Groups["v"].Value, CultureInfo.InvariantCulture) : null;

    private static Regex Assignment(string name) => name == "x" ? XAssignment() : YAssignment();

    [GeneratedRegex(@"double x = (?<v>-?[0-9.Ee+-]+);")]
    private static partial Regex XAssignment();

    [GeneratedRegex(@"double y = (?<v>-?[0-9.Ee+-]+);")]
    private static partial Regex YAssignment();
}
