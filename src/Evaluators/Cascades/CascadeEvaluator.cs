using System.Text;
using EvoCode.Evaluators.Contract;

namespace EvoCode.Evaluators.Cascades;

/// <summary>
/// Runs a candidate stage by stage (cheap checks first) and stops at the first stage whose result is
/// incorrect or scores below the stage's threshold. Metrics, features and artifacts of the stages reached
/// are merged. A candidate stopped by a threshold stays correct, but its score is lowered by
/// <paramref name="stopPenalty"/> so it ranks below candidates that passed every stage.
/// </summary>
/// <param name="descriptor">What the evaluator declares.</param>
/// <param name="stages">The stages in order; at least one.</param>
/// <param name="defaultLimits">Limits for each run when the context gives none; recorded as the descriptor's <see cref="EvaluatorDescriptor.DefaultLimits"/>.</param>
/// <param name="finish">
/// Builds the final result from the merged result and the result of each stage reached (for example, a
/// score averaged over stages); by default the merged result, whose score is the last stage's.
/// </param>
/// <param name="stopPenalty">Subtracted from the score of a candidate stopped by a threshold.</param>
public sealed class CascadeEvaluator(
    EvaluatorDescriptor descriptor,
    IReadOnlyList<CascadeStage> stages,
    RunLimits? defaultLimits = null,
    Func<EvaluationResult, IReadOnlyList<EvaluationResult>, EvaluationResult>? finish = null,
    double stopPenalty = 0) : IEvaluator
{
    private const int MaxLogChars = 4000;

    /// <inheritdoc />
    public EvaluatorDescriptor Descriptor { get; } = defaultLimits is null ? descriptor : descriptor with { DefaultLimits = defaultLimits };

    /// <summary>The stages in order.</summary>
    public IReadOnlyList<CascadeStage> Stages { get; } = stages.Count > 0 ? stages : throw new ArgumentException("A cascade needs at least one stage.", nameof(stages));

    /// <inheritdoc />
    public async Task<EvaluationResult> EvaluateAsync(string source, ICandidateRunner runner, EvaluationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(context);
        var limits = context.Limits ?? Descriptor.DefaultLimits;
        var results = new List<EvaluationResult>();
        var runTime = TimeSpan.Zero;
        for (var s = 0; s < Stages.Count; s++)
        {
            var stage = Stages[s];
            var run = await runner.RunAsync(new CandidateInvocation(source, stage.Harness, stage.Parameters, limits, context.Seed), cancellationToken);
            runTime += run.Elapsed;
            var logArtifacts = LogArtifacts(run, stage.Name);
            if (run.Outcome != RunOutcome.Ok || run.Output is null)
            {
                // Earlier stages' metrics stay visible: a candidate that passed OR3 but timed out later is still informative.
                var failed = Failed(run, stage.Name, logArtifacts) with { RunTime = runTime };
                return results.Count == 0 ? failed : failed with { Metrics = Merge(results).Metrics };
            }

            var result = stage.Scorer.Score(run.Output).RequireFinite();
            result = result with { Artifacts = [.. result.Artifacts, .. logArtifacts] };
            results.Add(result);
            var merged = Merge(results) with { Stage = stage.Name, RunTime = runTime };
            if (!result.Correct)
            {
                return merged with { Correct = false, Error = result.Error, Score = 0 };
            }

            merged = finish?.Invoke(merged, results) ?? merged;

            var last = s == Stages.Count - 1;
            if (!last && stage.Threshold is { } threshold && result.Score < threshold)
            {
                var note = $"Stopped after stage '{stage.Name}': its score {result.Score:R} is below the threshold {threshold:R} for stage '{Stages[s + 1].Name}'.";
                return merged with
                {
                    Score = merged.Score - stopPenalty,
                    Artifacts = [.. merged.Artifacts, Artifact.Feedback("cascade", note)],
                };
            }

            if (last)
            {
                return merged.RequireFinite();
            }
        }

        throw new InvalidOperationException("Unreachable: the last stage always returns.");
    }

    private static EvaluationResult Merge(List<EvaluationResult> results)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        var features = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var r in results)
        {
            foreach (var (k, v) in r.Metrics)
            {
                metrics[k] = v;
            }

            foreach (var (k, v) in r.Features)
            {
                features[k] = v;
            }
        }

        return results[^1] with { Metrics = metrics, Features = features, Artifacts = [.. results.SelectMany(r => r.Artifacts)] };
    }

    private static EvaluationResult Failed(CandidateRun run, string stage, IReadOnlyList<Artifact> logArtifacts)
    {
        var reason = run.Outcome switch
        {
            RunOutcome.Ok => "The run ended without output.",
            RunOutcome.CompileError => "The program does not compile.",
            RunOutcome.PolicyViolation => "The program uses an API the sandbox does not allow.",
            RunOutcome.RuntimeError => "The program threw an exception.",
            RunOutcome.Crashed => "The program's process died.",
            RunOutcome.TimeLimit => "The program ran past its time limit.",
            RunOutcome.MemoryLimit => "The program ran past its memory limit.",
            RunOutcome.OutputLimit => "The program wrote more output than allowed.",
            _ => "The run failed.",
        };
        var error = string.IsNullOrWhiteSpace(run.Error) ? reason : $"{reason} {run.Error}";
        var artifacts = new List<Artifact>();
        if (run.Diagnostics.Count > 0)
        {
            var text = new StringBuilder();
            foreach (var d in run.Diagnostics.Take(30))
            {
                text.Append(d).Append('\n');
            }

            artifacts.Add(Artifact.Feedback("diagnostics", text.ToString()));
        }

        artifacts.Add(Artifact.Feedback("failure", $"Stage '{stage}': {run.Outcome}. {error}"));
        artifacts.AddRange(logArtifacts);
        return EvaluationResult.Incorrect(error, run.Outcome, artifacts) with { Stage = stage };
    }

    private static IReadOnlyList<Artifact> LogArtifacts(CandidateRun run, string stage)
    {
        if (string.IsNullOrEmpty(run.Log))
        {
            return [];
        }

        var log = run.Log.Length > MaxLogChars ? run.Log[..MaxLogChars] + "\n[log truncated]" : run.Log;
        return [Artifact.Feedback($"log:{stage}", log)];
    }
}
