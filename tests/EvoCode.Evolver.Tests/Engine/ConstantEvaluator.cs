using EvoCode.Evaluators.Contract;
using Microsoft.CodeAnalysis.CSharp;

namespace EvoCode.Evolver.Tests.Engine;

/// <summary>Scores every program that parses 1.0, so nothing ever improves: plateaus, neutral moves and patience.</summary>
internal sealed class ConstantEvaluator : IEvaluator
{
    public EvaluatorDescriptor Descriptor { get; } = new(
        "constant",
        "fitness",
        [new MetricDefinition("fitness", MetricGoal.Maximize)],
        "public static double X()",
        ["score"]);

    public Task<EvaluationResult> EvaluateAsync(string source, ICandidateRunner runner, EvaluationContext context, CancellationToken cancellationToken)
    {
        var diagnostics = CSharpSyntaxTree.ParseText(source, cancellationToken: cancellationToken).GetDiagnostics().ToList();
        return Task.FromResult(diagnostics.Count > 0
            ? EvaluationResult.Incorrect(diagnostics[0].ToString(), RunOutcome.CompileError)
            : new EvaluationResult { Correct = true, Score = 1.0, Metrics = new Dictionary<string, double> { ["fitness"] = 1.0 } });
    }
}
