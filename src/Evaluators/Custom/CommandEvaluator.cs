using EvoCode.Evaluators.Contract;

namespace EvoCode.Evaluators.Custom;

/// <summary>
/// A custom evaluator for any language, run as external commands under the sandbox's jail and limits.
/// With a <c>run</c> step, the candidate's source is written into a fresh folder and run there; its standard
/// output then goes, as <c>output.txt</c>, into a second fresh folder that holds the evaluator's files but
/// not the candidate, where the <c>score</c> step prints the JSON result (see <see cref="CommandResultParser"/>).
/// The candidate's process therefore never sees the scorer. Without a <c>run</c> step, the <c>score</c>
/// step gets the candidate's source next to the evaluator's files and must run it itself.
/// </summary>
/// <param name="descriptor">What the evaluator declares.</param>
/// <param name="candidateFile">The file name the candidate's source is written to, such as "candidate.py".</param>
/// <param name="files">The evaluator's own files, by relative path.</param>
/// <param name="run">The step that runs the candidate, or <c>null</c>.</param>
/// <param name="score">The step that prints the result.</param>
/// <param name="limits">Limits for each step.</param>
public sealed class CommandEvaluator(
    EvaluatorDescriptor descriptor,
    string candidateFile,
    IReadOnlyDictionary<string, string> files,
    CommandStep? run,
    CommandStep score,
    RunLimits limits) : IEvaluator
{
    /// <summary>The file the scoring step finds the candidate's standard output in.</summary>
    public const string OutputFile = "output.txt";

    private const int MaxLogChars = 4000;

    /// <inheritdoc />
    public EvaluatorDescriptor Descriptor { get; } = descriptor with { DefaultLimits = limits };

    /// <inheritdoc />
    public async Task<EvaluationResult> EvaluateAsync(string source, ICandidateRunner runner, EvaluationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(context);
        var stepLimits = context.Limits ?? limits;
        var scoreFiles = new Dictionary<string, string>(files, StringComparer.Ordinal);
        var runTime = TimeSpan.Zero;
        var artifacts = new List<Artifact>();
        if (run is not null)
        {
            var ran = await runner.RunCommandAsync(new CommandInvocation(run.Command, run.Arguments, new Dictionary<string, string> { [candidateFile] = source }, stepLimits), cancellationToken);
            runTime += ran.Elapsed;
            if (!string.IsNullOrWhiteSpace(ran.StandardError))
            {
                artifacts.Add(Artifact.Feedback("stderr:run", Clip(ran.StandardError)));
            }

            if (ran.Outcome != RunOutcome.Ok || ran.ExitCode != 0)
            {
                var message = ran.Outcome != RunOutcome.Ok
                    ? $"The candidate's run ended with {ran.Outcome}."
                    : $"The candidate exited with code {ran.ExitCode}.";
                return EvaluationResult.Incorrect(message, ran.Outcome, [.. artifacts, Artifact.Feedback("failure", message)]) with { Stage = "run", RunTime = runTime };
            }

            scoreFiles[OutputFile] = ran.StandardOutput;
        }
        else
        {
            scoreFiles[candidateFile] = source;
        }

        var scored = await runner.RunCommandAsync(new CommandInvocation(score.Command, score.Arguments, scoreFiles, stepLimits), cancellationToken);
        runTime += scored.Elapsed;
        if (!string.IsNullOrWhiteSpace(scored.StandardError))
        {
            artifacts.Add(Artifact.Feedback("stderr:score", Clip(scored.StandardError)));
        }

        if (scored.Outcome != RunOutcome.Ok || scored.ExitCode != 0)
        {
            var message = scored.Outcome != RunOutcome.Ok
                ? $"The evaluator command ended with {scored.Outcome}."
                : $"The evaluator command exited with code {scored.ExitCode}.";
            return EvaluationResult.Incorrect(message, scored.Outcome, [.. artifacts, Artifact.Feedback("failure", message)]) with { Stage = "score", RunTime = runTime };
        }

        var result = CommandResultParser.Parse(scored.StandardOutput);
        return result with { Artifacts = [.. result.Artifacts, .. artifacts], Stage = "score", RunTime = runTime };
    }

    private static string Clip(string text) => text.Length > MaxLogChars ? text[..MaxLogChars] + "\n[truncated]" : text;
}
