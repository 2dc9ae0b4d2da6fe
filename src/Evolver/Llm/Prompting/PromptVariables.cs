using System.Globalization;
using System.Text;
using EvoCode.Evolver.Mutation;

namespace EvoCode.Evolver.Llm;

/// <summary>The template variables of a request's fixed parts (task, parents), size-bounded, with the target value kept out unless the problem asks for it; the lists are <see cref="PromptSections"/>.</summary>
internal static class PromptVariables
{
    public static Dictionary<string, string> For(MutationRequest request, PromptSettings settings)
    {
        var parent = request.Parent;
        var second = request.SecondParent;
        var fence = request.Language.FenceTags[0];
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["language"] = request.Language.DisplayName,
            ["fence"] = fence,
            ["block_start"] = EvolveBlocks.StartMarker(request.Language),
            ["block_end"] = EvolveBlocks.EndMarker(request.Language),
            ["task"] = Scrub(request.TaskDescription, settings),
            ["entry_point"] = request.EntryPoint is { Length: > 0 } entry ? $"The evaluator calls: `{entry}`." : "",
            ["target"] = settings.ShowTarget && settings.TargetValue is { } target ? $"The target score is {Number(target)}." : "",
            ["meta_summary"] = request.MetaSummary is { Length: > 0 } meta ? $"# Notes from earlier generations of this run\n{Scrub(Bound(meta, settings.MaxMetaChars), settings)}" : "",
            ["parent_code"] = Bound(parent.Source, settings.MaxCodeChars),
            ["parent_metrics"] = Metrics(parent),
            ["parent_feedback"] = Feedback(parent, settings),
            ["parent_error"] = parent.Error is { Length: > 0 } error ? Scrub(Bound(error, settings.MaxErrorChars), settings) : "(no error text: see the evaluator feedback)",
            ["second_parent_code"] = second is null ? "" : Bound(second.Source, settings.MaxCodeChars),
            ["second_parent_metrics"] = second is null ? "" : Metrics(second),
            ["second_parent_feedback"] = second is null ? "" : Feedback(second, settings),
            ["parent_change"] = parent.ChangeNote is { Length: > 0 } note ? $"The change that made it: {Scrub(note, settings)}" : "",
        };
    }

    /// <summary>Keeps the head and tail of a long text, saying how much was cut.</summary>
    public static string Bound(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var half = Math.Max(0, (max - 40) / 2);
        return $"{text[..half]}\n... [{text.Length - (2 * half)} characters cut] ...\n{text[^half..]}";
    }

    /// <summary>Removes the target value from evaluator-written text when the problem keeps it hidden.</summary>
    public static string Scrub(string text, PromptSettings settings) =>
        settings.ShowTarget || settings.TargetValue is not { } target ? text : text.Replace(Number(target), "[hidden]", StringComparison.Ordinal);

    public static string Metrics(ParentProgram program)
    {
        var text = new StringBuilder();
        text.Append(program.Score is { } score ? $"Score: {Number(score)}" : "Score: none (the program failed)");
        foreach (var (name, value) in program.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"; {name}: {Number(value)}");
        }

        return text.ToString();
    }

    private static string Feedback(ParentProgram program, PromptSettings settings) =>
        program.Feedback is { Length: > 0 } feedback ? $"Evaluator feedback:\n{Scrub(Bound(feedback, settings.MaxArtifactChars), settings)}" : "";

    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
