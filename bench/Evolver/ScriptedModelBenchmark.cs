using System.Globalization;
using EvoCode.Evolver.Domain;
using EvoCode.FakeLlm;

namespace EvoCode.Bench.Evolver;

/// <summary>
/// What a run buys with a model's money: the real engine and language-model operators against a scripted model
/// on loopback (fixed mix of good diffs, bad diffs, garbage and slow replies, fixed prices and a fixed 1,200
/// input tokens a reply), on a store of the chosen provider, until <c>maxCost</c> ends the run. Reported per
/// 1,000 model calls: evaluated children, improvements on the parent, the share of calls spent on fix, dollars
/// per improvement, and the overshoot over maxCost (which must be 0).
/// </summary>
internal static class ScriptedModelBenchmark
{
    public static async Task RunAsync(string provider, decimal maxCost, int proposals)
    {
        await using var bench = await ScriptedRun.StartAsync(provider);
        var mix = new ScriptedMix(Good: 0.45, Bad: 0.25, Garbage: 0.2, Slow: 0.1, SlowDelay: TimeSpan.FromSeconds(2));
        var script = new ScriptedModel(mix, seed: 7);
        var outcome = await bench.RunAsync(
            script,
            new RunSettings { MaxEvaluations = 1_000_000, MaxCost = maxCost, Islands = 2, ProposalConcurrency = proposals, EvaluationConcurrency = 2 },
            "scripted bench");

        var (done, calls) = (outcome.Run, outcome.Calls);
        var improvements = outcome.Improvements;
        var billed = outcome.Billed;
        var per = 1000.0 / Math.Max(1, calls.Count);
        Console.WriteLine($"## scripted model, {provider}, maxCost ${maxCost.ToString(CultureInfo.InvariantCulture)}, {proposals} proposals in flight");
        Console.WriteLine($"mix good/bad/garbage/slow = {mix.Good}/{mix.Bad}/{mix.Garbage}/{mix.Slow} (slow {mix.SlowDelay.TotalSeconds} s vs 1 s timeout), {mix.InputTokens} in / {mix.OutputTokens} out tokens per reply at ${ScriptedRun.InputPrice}/${ScriptedRun.OutputPrice} per million");
        Console.WriteLine($"status: {done.Status} ({done.StatusReason}); wall {outcome.Seconds:F1} s");
        Console.WriteLine($"model calls: {calls.Count} (sent good {script.Sent.Good}, bad {script.Sent.Bad}, garbage {script.Sent.Garbage}, slow {script.Sent.Slow}); outcomes: {string.Join(", ", calls.GroupBy(c => c.Outcome).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}={g.Count()}"))}");
        Console.WriteLine($"per 1,000 calls: evaluated children {outcome.Children * per:F1}, improvements {improvements * per:F1}");
        Console.WriteLine($"share of calls on fix: {calls.Count(c => c.Operator == "fix") / (double)Math.Max(1, calls.Count):P1}; operators: {string.Join(", ", calls.GroupBy(c => c.Operator).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}={g.Count()}"))}");
        Console.WriteLine($"cost: run ${done.Cost:F6}, sum of calls ${billed:F6}; dollars per improvement: {(improvements == 0 ? "n/a" : (done.Cost / improvements).ToString("F6", CultureInfo.InvariantCulture))}");
        Console.WriteLine($"overshoot over maxCost: ${Math.Max(0m, Math.Max(done.Cost, billed) - maxCost):F6}");
    }
}
