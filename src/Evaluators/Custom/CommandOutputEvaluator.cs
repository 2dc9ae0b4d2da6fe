using EvoCode.Evaluators.Contract;
using EvoCode.Evaluators.Scoring;

namespace EvoCode.Evaluators.Custom;

/// <summary>
/// A built-in problem's scorer applied to a program in any language: the candidate's source is written to
/// <paramref name="candidateFile"/> in a fresh jailed folder and started with <paramref name="run"/>; the last
/// non-empty line it prints is the raw output (for example <c>{"rows": [[x, y, r], ...]}</c>) that the same
/// scorer the C# harness feeds validates and scores, in this process, never in the candidate's.
/// </summary>
public sealed class CommandOutputEvaluator(EvaluatorDescriptor descriptor, string candidateFile, CommandStep run, IOutputScorer scorer, RunLimits limits) : IEvaluator
{
    private const int MaxLogChars = 4000;

    /// <inheritdoc />
    public EvaluatorDescriptor Descriptor { get; } = descriptor with { DefaultLimits = limits };

    /// <inheritdoc />
    public async Task<EvaluationResult> EvaluateAsync(string source, ICandidateRunner runner, EvaluationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(context);
        var stage = Descriptor.Stages[0];
        var ran = await runner.RunCommandAsync(
            new CommandInvocation(run.Command, run.Arguments, new Dictionary<string, string> { [candidateFile] = source }, context.Limits ?? limits),
            cancellationToken);
        var artifacts = string.IsNullOrWhiteSpace(ran.StandardError) ? [] : new List<Artifact> { Artifact.Feedback("stderr:run", Clip(ran.StandardError)) };
        if (ran.Outcome != RunOutcome.Ok || ran.ExitCode != 0)
        {
            var message = ran.Outcome != RunOutcome.Ok ? $"The candidate's run ended with {ran.Outcome}." : $"The candidate exited with code {ran.ExitCode}.";
            return EvaluationResult.Incorrect(message, ran.Outcome, [.. artifacts, Artifact.Feedback("failure", message)]) with { Stage = stage, RunTime = ran.Elapsed };
        }

        var last = ran.StandardOutput.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0) ?? "";
        var result = scorer.Score(last);
        return result with { Artifacts = [.. result.Artifacts, .. artifacts], Stage = stage, RunTime = ran.Elapsed };
    }

    private static string Clip(string text) => text.Length > MaxLogChars ? text[..MaxLogChars] + "\n[truncated]" : text;
}
