using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;

namespace EvoCode.Evolver.Llm;

/// <summary>
/// ShinkaEvolve's meta-scratchpad: every N generations a model turns the recent children into notes on what
/// worked and what did not; later prompts carry the notes. The engine calls it and stores the text on the run.
/// </summary>
public sealed class MetaMemory
{
    private const int MaxChangeChars = 1_500;

    private readonly LanguageModel _model;
    private readonly PromptLibrary _prompts;
    private readonly PromptSettings _settings;
    private readonly Guid _runId;
    private readonly string _task;
    private readonly ModelLedger _ledger;

    internal MetaMemory(LanguageModel model, PromptLibrary prompts, PromptSettings settings, Guid runId, string task, ModelLedger ledger)
    {
        _ledger = ledger;
        _model = model;
        _prompts = prompts;
        _settings = settings;
        _runId = runId;
        _task = task;
    }

    /// <summary>The model that writes the notes.</summary>
    public string Model => _model.Name;

    /// <summary>The new notes, or <c>null</c> when the model gave none (the engine keeps the previous notes then).</summary>
    public async Task<string?> SummarizeAsync(string? previousSummary, IReadOnlyList<MetaMemoryEntry> recent, CancellationToken ct)
    {
        var prompt = await RenderAsync(_prompts, _settings, _task, previousSummary, recent, ct);
        var reply = await _model.CompleteAsync([new ChatMessage(ChatRole.User, prompt)], new ModelCallContext(_runId, "meta") { Ledger = _ledger }, ct);
        if (!reply.HasText || reply.Truncated || string.IsNullOrWhiteSpace(reply.Text))
        {
            return null;
        }

        return PromptVariables.Scrub(PromptVariables.Bound(ReplyText.Normalize(reply.Text).Trim(), _settings.MaxMetaChars), _settings);
    }

    /// <summary>The notes prompt: the previous notes and each recent child's change and outcome.</summary>
    internal static Task<string> RenderAsync(PromptLibrary prompts, PromptSettings settings, string task, string? previousSummary, IReadOnlyList<MetaMemoryEntry> recent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(recent);
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["task"] = PromptVariables.Scrub(task, settings),
            ["previous_summary"] = string.IsNullOrWhiteSpace(previousSummary) ? "(none yet)" : PromptVariables.Bound(previousSummary, settings.MaxMetaChars),
            ["recent"] = Describe(recent, settings),
        };
        return prompts.RenderAsync("meta", variables, ct);
    }

    private static string Describe(IReadOnlyList<MetaMemoryEntry> recent, PromptSettings settings)
    {
        if (recent.Count == 0)
        {
            return "(none)";
        }

        var text = new StringBuilder();
        foreach (var entry in recent)
        {
            text.Append(CultureInfo.InvariantCulture, $"- {entry.Operator}{(entry.Model is null ? "" : $" by {entry.Model}")}");
            if (entry.Change is { Length: > 0 } change)
            {
                // A change note is one line; a diff given instead keeps its lines, indented under the entry.
                text.Append(" \"").Append(PromptVariables.Scrub(PromptVariables.Bound(change, MaxChangeChars), settings).ReplaceLineEndings("\n  ")).Append('"');
            }

            text.Append(": ");
            text.Append(entry switch
            {
                { Error: { Length: > 0 } error } => $"failed: {PromptVariables.Scrub(PromptVariables.Bound(error, settings.MaxErrorChars), settings)}",
                { Score: { } score, ParentScore: { } parent } => string.Create(CultureInfo.InvariantCulture, $"score {score:R} (parent {parent:R}, delta {score - parent:+0.######;-0.######;0})"),
                { Score: { } score } => string.Create(CultureInfo.InvariantCulture, $"score {score:R}"),
                _ => "no score",
            });
            text.Append('\n');
        }

        return text.ToString();
    }
}
