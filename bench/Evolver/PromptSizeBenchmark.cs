using System.Globalization;
using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Llm;
using EvoCode.FakeLlm;
using Microsoft.Extensions.AI;

namespace EvoCode.Bench.Evolver;

/// <summary>
/// What the richer prompts of issue 16 cost (bench "scripted-prompts"): the scripted run of
/// <see cref="ScriptedModelBenchmark"/> with every prompt section off (the thin prompt: the task, the parent and
/// its feedback), with only inspirations and failures (what the prompt held before issue 16, in the new form) and
/// with the defaults, on the same mix, seeds and budget. Here the scripted model bills the input tokens of each
/// request as the engine's tokenizer counts them, so the bill follows the prompt size.
/// Reported per run, from the stored model calls: input tokens per call (mean, p50, p95, mean by operator), input
/// tokens and dollars per evaluated child, evaluated children and improvements per 1,000 calls. The scripted
/// replies do not read the sections, so only the cost side of the comparison means anything here.
/// </summary>
internal static class PromptSizeBenchmark
{
    /// <summary>The sections of ADR-016 (the engine's list is internal; the run-settings validator refuses a name it does not know, so a rename fails the bench).</summary>
    private static readonly string[] s_sections = ["history", "top_programs", "inspirations", "failures", "archive", "exploration"];

    /// <summary>The prompt configurations: every section at a budget of 0 (turned off), the sections issue 16 added from nothing off (unnamed ones keep their default budgets), then the defaults.</summary>
    private static readonly (string Name, IReadOnlyDictionary<string, int>? Sections)[] s_variants =
    [
        ("sections off (before)", s_sections.ToDictionary(n => n, _ => 0, StringComparer.Ordinal)),
        ("inspirations and failures only", s_sections.Where(n => n is not ("inspirations" or "failures")).ToDictionary(n => n, _ => 0, StringComparer.Ordinal)),
        ("default sections (after)", null),
    ];

    /// <summary>Runs every variant with <paramref name="budget"/> proposals each, or up to <paramref name="maxCost"/> dollars each when that is given; <paramref name="proposals"/> in flight.</summary>
    public static async Task RunAsync(string provider, int budget, decimal? maxCost, int proposals)
    {
        await using var bench = await ScriptedRun.StartAsync(provider);
        var mix = new ScriptedMix(Good: 0.45, Bad: 0.25, Garbage: 0.2, Slow: 0.1, SlowDelay: TimeSpan.FromSeconds(2));
        var outcomes = new List<ScriptedOutcome>();
        foreach (var (name, sections) in s_variants)
        {
            var settings = new RunSettings
            {
                MaxEvaluations = 1_000_000,
                MaxProposals = maxCost is null ? budget : null,
                MaxCost = maxCost,
                Islands = 2,
                ProposalConcurrency = proposals,
                EvaluationConcurrency = 2,
                PromptSectionTokens = sections,
            };
            var outcome = await bench.RunAsync(new ScriptedModel(mix, seed: 7, Billed), settings, $"scripted prompts: {name}");
            outcomes.Add(outcome);
            await Console.Error.WriteLineAsync($"{name}: {outcome.Run.Status} ({outcome.Run.StatusReason}), {outcome.Calls.Count} calls, {outcome.Seconds:F1} s");
        }

        var limit = maxCost is { } cost ? $"maxCost ${cost.ToString(CultureInfo.InvariantCulture)}" : $"maxProposals {budget.ToString(CultureInfo.InvariantCulture)}";
        Console.WriteLine($"## scripted model, prompt sections off, partly on and at the defaults, {provider}, {limit}, {proposals} proposals in flight");
        Console.WriteLine($"mix good/bad/garbage/slow = {mix.Good}/{mix.Bad}/{mix.Garbage}/{mix.Slow} (slow {mix.SlowDelay.TotalSeconds} s vs 1 s timeout); input billed as counted (o200k_base), {mix.OutputTokens} output tokens per reply; ${ScriptedRun.InputPrice}/${ScriptedRun.OutputPrice} per million");
        Console.WriteLine();
        Console.WriteLine($"| | {string.Join(" | ", s_variants.Select(v => v.Name))} |");
        Console.WriteLine($"|---|{string.Concat(s_variants.Select(_ => "---|"))}");
        Row("status", outcomes, o => $"{o.Run.Status}: {o.Run.StatusReason}");
        Row("wall time", outcomes, o => $"{o.Seconds:F1} s");
        Row("model calls", outcomes, o => $"{o.Calls.Count:N0} ({string.Join(", ", o.Calls.GroupBy(c => c.Outcome).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"))})");
        Row("input tokens per call: mean / p50 / p95", outcomes, o => Tokens(o.Calls) is { Count: > 0 } t ? $"{t.Average():N0} / {Samples.Percentile(t, 0.50):N0} / {Samples.Percentile(t, 0.95):N0}" : "n/a");
        Row("mean input tokens per call by operator", outcomes, o => string.Join(", ", o.Calls.Where(c => c.InputTokens is not null).GroupBy(c => c.Operator ?? "none").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Average(c => c.InputTokens!.Value):N0} ({g.Count()})")));
        Row("edit outcomes", outcomes, o => string.Join(", ", o.Calls.Where(c => c.EditOutcome is not null).GroupBy(c => EditKind(c.EditOutcome!)).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}")));
        Row("rejections", outcomes, o => string.Join(", ", o.Run.Statistics.Rejections.OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key} {r.Value}")));
        Row("evaluated children", outcomes, o => o.Children.ToString("N0", CultureInfo.InvariantCulture));
        Row("**input tokens per evaluated child**", outcomes, o => o.Children == 0 ? "n/a" : $"**{Tokens(o.Calls).Sum(t => (long)t) / (double)o.Children:N0}**");
        Row("**dollars per evaluated child**", outcomes, o => o.Children == 0 ? "n/a" : $"**${o.Billed / o.Children:F6}**");
        Row("dollars in all", outcomes, o => $"${o.Billed:F6}");
        Row("evaluated children per 1,000 calls", outcomes, o => $"{o.Children * 1000.0 / Math.Max(1, o.Calls.Count):F1}");
        Row("improvements per 1,000 calls", outcomes, o => $"{o.Improvements * 1000.0 / Math.Max(1, o.Calls.Count):F1}");
        Row("best score", outcomes, o => o.Run.BestScore is { } best ? best.ToString("G6", CultureInfo.InvariantCulture) : "n/a");
    }

    /// <summary>What a real model would bill for the request: its messages counted as the engine counts a prompt (text plus framing).</summary>
    private static int Billed(FakeRequest request) =>
        TokenCounter.CountPrompt([.. request.Messages.Select(m => new ChatMessage(new ChatRole(m.Role), m.Content))]);

    /// <summary>An edit outcome without its details ("edit-failed: the SEARCH text ..." is "edit-failed", "applied; the rewrite ..." is "applied").</summary>
    private static string EditKind(string outcome) => outcome.Split(':', ';')[0];

    private static List<int> Tokens(IEnumerable<ScriptedCall> calls) => [.. calls.Where(c => c.InputTokens is not null).Select(c => c.InputTokens!.Value).Order()];

    /// <summary>Nearest-rank percentile of a sorted list.</summary>

    private static void Row(string label, List<ScriptedOutcome> outcomes, Func<ScriptedOutcome, string> value) =>
        Console.WriteLine($"| {label} | {string.Join(" | ", outcomes.Select(value))} |");
}
