using System.Globalization;
using System.Text;
using EvoCode.Evolver.Mutation;

namespace EvoCode.Evolver.Llm;

/// <summary>
/// The optional sections of a mutation prompt, each a list of whole entries kept within its token budget
/// (counted with <see cref="TokenCounter"/>): the history of attempts, the run's top programs, the
/// inspirations, the failures by cause, the archive and the room to explore. A program is shown whole or not at
/// all, and never twice in one prompt.
/// </summary>
internal static class PromptSections
{
    public const string History = "history";
    public const string TopPrograms = "top_programs";
    public const string Inspirations = "inspirations";
    public const string Failures = "failures";
    public const string Archive = "archive";
    public const string Exploration = "exploration";

    /// <summary>The section names, which are also their template names.</summary>
    public static IReadOnlyList<string> Names { get; } = [History, TopPrograms, Inspirations, Failures, Archive, Exploration];

    /// <summary>Default token budgets of the sections' entries.</summary>
    public static IReadOnlyDictionary<string, int> DefaultTokens { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        [History] = 1_200,
        [TopPrograms] = 4_000,
        [Inspirations] = 4_000,
        [Failures] = 800,
        [Archive] = 300,
        [Exploration] = 300,
    };

    /// <summary>The entries of every section for one prompt; <paramref name="shown"/> holds the programs the operator template shows itself.</summary>
    public static Dictionary<string, string> Entries(MutationRequest request, PromptSettings settings, IReadOnlyList<ParentProgram> shown)
    {
        var fence = request.Language.FenceTags[0];
        var seen = new List<ParentProgram>(shown);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [History] = Fit(History, settings, [.. request.History.Select(a => Attempt(a, settings))], prefix: true),

            // Inspirations before the top programs: a program that is both is shown once, as an inspiration.
            [Inspirations] = FitPrograms(Inspirations, settings, request.Inspirations, seen, p => Program(p, fence, p.Origin, settings)),
            [TopPrograms] = FitPrograms(TopPrograms, settings, request.TopPrograms, seen, p => Program(p, fence, null, settings)),
            [Failures] = Fit(Failures, settings, [.. request.Failures.Select(f => Failure(f, settings))], prefix: true),
            [Archive] = request.Archive is { } place ? Fit(Archive, settings, [.. Place(place)], prefix: true) : "",
            [Exploration] = request.Archive is { EmptyNeighbours.Count: > 0 } room ? Fit(Exploration, settings, [.. room.EmptyNeighbours.Select(b => $"- {Bin(b)}\n")], prefix: true) : "",
        };
    }

    /// <summary>The programs not shown yet (by id or identical code), each once, whole, within the budget; those kept join <paramref name="seen"/>.</summary>
    private static string FitPrograms(string section, PromptSettings settings, IReadOnlyList<ParentProgram> programs, List<ParentProgram> seen, Func<ParentProgram, string> render)
    {
        var fresh = programs.Where(p => !seen.Exists(s => s.Id == p.Id || Same(s, p))).DistinctBy(p => p.Source.Trim(), StringComparer.Ordinal).ToList();
        var entries = fresh.Select(render).ToList();
        var kept = Keep(section, settings, entries, prefix: false);
        seen.AddRange(kept.Select(i => fresh[i]));
        return string.Concat(kept.Select(i => entries[i]));
    }

    private static string Fit(string section, PromptSettings settings, IReadOnlyList<string> entries, bool prefix) =>
        string.Concat(Keep(section, settings, entries, prefix).Select(i => entries[i]));

    /// <summary>
    /// The entries that fit the section's budget, in order: with <paramref name="prefix"/> the list stops at the first
    /// that does not fit (entries come newest first, so the oldest go); otherwise an entry that does not fit is
    /// left out whole and smaller ones after it may still come.
    /// </summary>
    private static List<int> Keep(string section, PromptSettings settings, IReadOnlyList<string> entries, bool prefix)
    {
        var budget = settings.SectionTokens.TryGetValue(section, out var own) ? own : DefaultTokens[section];
        var kept = new List<int>();
        var used = 0;
        for (var i = 0; i < entries.Count && budget > 0; i++)
        {
            var tokens = TokenCounter.Count(entries[i]);
            if (used + tokens > budget)
            {
                if (prefix)
                {
                    break;
                }

                continue;
            }

            used += tokens;
            kept.Add(i);
        }

        return kept;
    }

    private static bool Same(ParentProgram a, ParentProgram b) => string.Equals(a.Source.Trim(), b.Source.Trim(), StringComparison.Ordinal);

    private static string Program(ParentProgram program, string fence, string? origin, PromptSettings settings)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"## {(origin is null ? "Program" : $"Program ({origin})")}: {PromptVariables.Metrics(program)}\n");
        if (program.ChangeNote is { Length: > 0 } note)
        {
            text.Append(CultureInfo.InvariantCulture, $"Its change: {PromptVariables.Scrub(note, settings)}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"```{fence}\n{program.Source.TrimEnd()}\n```\n");
        if (program.Feedback is { Length: > 0 } feedback)
        {
            text.Append(CultureInfo.InvariantCulture, $"Evaluator feedback:\n{PromptVariables.Scrub(PromptVariables.Bound(feedback, settings.MaxArtifactChars), settings)}\n");
        }

        return text.ToString();
    }

    private static string Attempt(PriorAttempt attempt, PromptSettings settings)
    {
        var who = attempt.Relation switch
        {
            "self" => "this program",
            "child" => "a child of this program",
            _ => "an ancestor",
        };
        var note = attempt.ChangeNote is { Length: > 0 } n ? $" \"{PromptVariables.Scrub(n, settings)}\"" : "";
        var outcome = attempt switch
        {
            { Error: { Length: > 0 } error } => $"failed: {OneLine(error, settings)}",
            { Score: null } => "failed",
            { Score: { } score, ParentScore: { } parent } => string.Create(CultureInfo.InvariantCulture, $"score {PromptVariables.Number(score)} ({Delta(score - parent)} against its parent), {(score > parent ? "improved" : score == parent ? "no change" : "worse")}"),
            { Score: { } score } => $"score {PromptVariables.Number(score)}",
        };
        return $"- {who}, {attempt.Operator}{note}: {outcome}\n";
    }

    private static string Failure(FailureGroup group, PromptSettings settings)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"- {group.Count} time{(group.Count == 1 ? "" : "s")}");
        if (group.FromParent > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" ({group.FromParent} from this program)");
        }

        text.Append(CultureInfo.InvariantCulture, $": {OneLine(group.Cause, settings)}\n");
        if (group.Changes.Count > 0)
        {
            text.Append("  caused by: ").AppendJoin("; ", group.Changes.Select(c => $"\"{PromptVariables.Scrub(c, settings)}\"")).Append('\n');
        }

        return text.ToString();
    }

    private static IEnumerable<string> Place(ArchivePlace place)
    {
        var grid = string.Join(", ", place.Dimensions.Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.Name} ({d.Bins} {(d.Log ? "logarithmic " : "")}bins)")));
        yield return string.Create(CultureInfo.InvariantCulture, $"The search keeps the best program of each cell of a grid over {grid}; {place.FilledCells} of {place.TotalCells} cells of this island hold a program.\n");
        yield return $"This program is in: {string.Join(", ", place.Dimensions.Select(Bin))}.\n";
    }

    private static string Bin(DimensionBin bin) =>
        string.Create(CultureInfo.InvariantCulture, $"{bin.Name} bin {bin.Bin + 1} of {bin.Bins} ({Round(bin.Low)} to {Round(bin.High)})");

    private static string OneLine(string text, PromptSettings settings) =>
        PromptVariables.Scrub(PromptVariables.Bound(text.Trim(), settings.MaxErrorChars), settings).ReplaceLineEndings("\n  ");

    private static string Delta(double delta) => delta.ToString("+0.######;-0.######;0", CultureInfo.InvariantCulture);

    private static string Round(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
