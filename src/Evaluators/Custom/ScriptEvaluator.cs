using System.Text.Json;
using EvoCode.Evaluators.Contract;
using EvoCode.Evaluators.Harnesses;
using EvoCode.Evaluators.Scoring;

namespace EvoCode.Evaluators.Custom;

/// <summary>
/// A custom evaluator written as a C# script. The candidate runs in the sandbox under the <c>invoke</c>
/// harness; its raw output is then handed to the user's script, which is compiled and run as a second
/// sandboxed invocation under the <c>script</c> harness (user code never runs in the server). The script
/// returns metrics or throws to reject the candidate; the score comes from the primary metric.
/// </summary>
/// <param name="descriptor">What the evaluator declares.</param>
/// <param name="entryPoint">The candidate's entry point: <c>{"type", "method", "args"}</c> for the invoke harness.</param>
/// <param name="scriptSource">The compilation unit of the script (see <see cref="ScriptSource.Wrap"/>).</param>
/// <param name="metrics">How reported metrics become a result.</param>
/// <param name="limits">Limits for each of the two runs.</param>
public sealed class ScriptEvaluator(EvaluatorDescriptor descriptor, JsonElement entryPoint, string scriptSource, CustomMetrics metrics, RunLimits limits) : IEvaluator
{
    /// <inheritdoc />
    public EvaluatorDescriptor Descriptor { get; } = descriptor with { DefaultLimits = limits };

    /// <inheritdoc />
    public async Task<EvaluationResult> EvaluateAsync(string source, ICandidateRunner runner, EvaluationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(context);
        var runLimits = context.Limits ?? limits;
        var candidate = await runner.RunAsync(new CandidateInvocation(source, InvokeHarness.HarnessName, entryPoint, runLimits, context.Seed), cancellationToken);
        if (candidate.Outcome != RunOutcome.Ok || candidate.Output is null)
        {
            return Fail("run", candidate, "The candidate failed") with { RunTime = candidate.Elapsed };
        }

        var parameters = JsonSerializer.SerializeToElement(new { type = "Evaluator", method = "Evaluate", output = candidate.Output });
        var script = await runner.RunAsync(new CandidateInvocation(scriptSource, ScriptHarness.HarnessName, parameters, runLimits, context.Seed), cancellationToken);
        var runTime = candidate.Elapsed + script.Elapsed;
        if (script.Outcome == RunOutcome.RuntimeError)
        {
            // The script threw: that is how it rejects a candidate, and its message is the validation error.
            var message = script.Error ?? "The evaluator script rejected the candidate.";
            return EvaluationResult.Incorrect(message, RunOutcome.Ok, [Artifact.Feedback("validation", message)]) with { Stage = "script", RunTime = runTime };
        }

        if (script.Outcome != RunOutcome.Ok || script.Output is null)
        {
            return Fail("script", script, "The evaluator script failed (this is a problem with the evaluator, not the candidate)") with { RunTime = runTime };
        }

        if (!TryReadMetrics(script.Output, out var reported, out var error))
        {
            return EvaluationResult.Incorrect(error, artifacts: [Artifact.Feedback("validation", error)]) with { Stage = "script", RunTime = runTime };
        }

        List<Artifact> artifacts = [];
        if (!string.IsNullOrEmpty(candidate.Log))
        {
            artifacts.Add(Artifact.Feedback("log:run", candidate.Log));
        }

        if (!string.IsNullOrEmpty(script.Log))
        {
            artifacts.Add(Artifact.Feedback("log:script", script.Log));
        }

        return metrics.ToResult(reported, artifacts) with { Stage = "script", RunTime = runTime };
    }

    private static bool TryReadMetrics(string output, out Dictionary<string, double> metrics, out string error)
    {
        metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        error = "";
        if (!RawOutput.TryParse(output, out var document, out var parseError))
        {
            error = parseError;
            return false;
        }

        using (document)
        {
            if (!document.RootElement.TryGetProperty("metrics", out var values) || values.ValueKind != JsonValueKind.Object)
            {
                error = "The evaluator script returned no metrics.";
                return false;
            }

            foreach (var property in values.EnumerateObject())
            {
                if (!RawOutput.TryReadNumber(property.Value, out var value))
                {
                    error = $"Metric '{property.Name}' is not a number.";
                    return false;
                }

                metrics[property.Name] = value;
            }
        }

        return true;
    }

    private static EvaluationResult Fail(string stage, CandidateRun run, string what)
    {
        var message = $"{what}: {run.Outcome}{(run.Error is null ? "" : ": " + run.Error)}";
        List<Artifact> artifacts = [Artifact.Feedback("failure", message)];
        if (run.Diagnostics.Count > 0)
        {
            artifacts.Add(Artifact.Feedback("diagnostics", string.Join('\n', run.Diagnostics.Take(30))));
        }

        return EvaluationResult.Incorrect(message, run.Outcome, artifacts) with { Stage = stage };
    }
}
