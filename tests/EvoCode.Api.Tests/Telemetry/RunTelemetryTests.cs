using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EvoCode.Api.Tests.Telemetry;

/// <summary>What an operator sees of a finished run: the Prometheus scrape and the log.</summary>
public sealed partial class RunTelemetryTests(PlantedSecretsRun run) : IClassFixture<PlantedSecretsRun>
{
    [Fact]
    public async Task ModelCalls_AfterARun_EveryCallIsListedAndTheFiguresPerModelAddUpToTheRunsTotals()
    {
        var ct = TestContext.Current.CancellationToken;
        var r = run.Run;
        var id = r.GetProperty("id").GetGuid();
        var calls = await run.Server.GetAsync($"/api/runs/{id}/model-calls?pageSize=500", ct);
        var byModel = await run.Server.GetAsync($"/api/runs/{id}/model-calls/by-model", ct);
        var items = calls.GetProperty("items").EnumerateArray().ToList();
        var fake = Assert.Single(byModel.EnumerateArray());

        Assert.Equal(r.GetProperty("statistics").GetProperty("modelCalls").GetInt64(), calls.GetProperty("total").GetInt64());
        Assert.Equal(items.Count, calls.GetProperty("total").GetInt32());
        Assert.Equal("fake", fake.GetProperty("model").GetString());
        Assert.Equal(items.Count, fake.GetProperty("calls").GetInt64());
        Assert.Equal(r.GetProperty("inputTokens").GetInt64(), fake.GetProperty("inputTokens").GetInt64());
        Assert.Equal(r.GetProperty("outputTokens").GetInt64(), fake.GetProperty("outputTokens").GetInt64());
        Assert.Equal(r.GetProperty("cost").GetDecimal(), fake.GetProperty("cost").GetDecimal());
        Assert.Equal(items.Sum(c => c.GetProperty("inputTokens").GetInt64()), fake.GetProperty("inputTokens").GetInt64());
    }

    [Fact]
    public async Task ModelCalls_AfterARun_EveryCallPointsAtItsProgramOrRejectionAndEachProgramShowsEveryTurn()
    {
        var ct = TestContext.Current.CancellationToken;
        var id = run.Run.GetProperty("id").GetGuid();
        var calls = (await run.Server.GetAsync($"/api/runs/{id}/model-calls?pageSize=500", ct)).GetProperty("items").EnumerateArray().ToList();
        var programs = (await run.Server.GetAsync($"/api/runs/{id}/programs?pageSize=500", ct)).GetProperty("items").EnumerateArray().ToList();
        var programIds = programs.Select(p => p.GetProperty("id").GetGuid()).ToHashSet();
        var children = programs.Where(p => p.GetProperty("model").ValueKind == JsonValueKind.String && p.GetProperty("operator").GetString() is not ("migration" or "seed")).ToList();

        // Every call is the program it produced, a screened-out proposal (with the reason), or a meta-memory note.
        Assert.All(calls, c => Assert.True(
            c.GetProperty("candidateId").ValueKind == JsonValueKind.String
                ? programIds.Contains(c.GetProperty("candidateId").GetGuid()) && c.GetProperty("rejection").ValueKind == JsonValueKind.Null
                : c.GetProperty("rejection").ValueKind == JsonValueKind.String || c.GetProperty("operator").GetString() == "meta",
            $"A model call points at nothing: {c}"));
        Assert.All(calls, c => Assert.Contains(c.GetProperty("estimated").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False }));
        Assert.NotEmpty(children);
        foreach (var child in children)
        {
            var childId = child.GetProperty("id").GetGuid();
            var detail = await run.Server.GetAsync($"/api/programs/{childId}", ct);
            var turns = detail.GetProperty("conversation").EnumerateArray().ToList();
            var own = calls.Where(c => c.GetProperty("candidateId").ValueKind == JsonValueKind.String && c.GetProperty("candidateId").GetGuid() == childId).ToList();

            // Each evaluated child made by the model has its calls, and its detail shows all of them in order with their text.
            Assert.NotEmpty(own);
            Assert.Equal(own.Select(c => c.GetProperty("id").GetInt64()), turns.Select(t => t.GetProperty("callId").GetInt64()));
            Assert.Equal(detail.GetProperty("inputTokens").GetInt32(), turns.Sum(t => t.GetProperty("inputTokens").GetInt32()));
            Assert.Equal(detail.GetProperty("outputTokens").GetInt32(), turns.Sum(t => t.GetProperty("outputTokens").GetInt32()));
            Assert.Equal(detail.GetProperty("prompt").GetString(), turns[0].GetProperty("prompt").GetString());
            Assert.Equal(detail.GetProperty("reply").GetString(), turns[^1].GetProperty("reply").GetString());
        }
    }

    [Fact]
    public async Task Metrics_AfterARun_CountersEqualTheRunsStatistics()
    {
        var ct = TestContext.Current.CancellationToken;
        var scrape = await run.Server.Http.GetStringAsync("/metrics", ct);
        var samples = Parse(scrape);
        var r = run.Run;
        var statistics = r.GetProperty("statistics");

        Assert.Equal(r.GetProperty("evaluations").GetInt64(), Sum(samples, "evocode_evaluations_total"));
        Assert.Equal((long)PlantedSecretsRun.Budget, Sum(samples, "evocode_evaluations_total"));
        foreach (var outcome in statistics.GetProperty("outcomes").EnumerateObject())
        {
            Assert.Equal(outcome.Value.GetInt64(), Sum(samples, "evocode_evaluations_total", ("outcome", outcome.Name)));
        }

        Assert.Equal(r.GetProperty("evaluations").GetInt64(), Sum(samples, "evocode_evaluation_duration_seconds_count"));
        Assert.Equal(r.GetProperty("proposals").GetInt64(), Sum(samples, "evocode_proposals_total"));
        Assert.Equal(r.GetProperty("rejections").GetInt64(), Sum(samples, "evocode_proposals_total", ("result", "rejected")));
        Assert.Equal(r.GetProperty("rejections").GetInt64(), Sum(samples, "evocode_rejections_total"));
        foreach (var reason in statistics.GetProperty("rejections").EnumerateObject())
        {
            Assert.Equal(reason.Value.GetInt64(), Sum(samples, "evocode_rejections_total", ("reason", reason.Name)));
        }

        Assert.Equal(r.GetProperty("inputTokens").GetInt64(), Sum(samples, "evocode_model_tokens_total", ("model", "fake"), ("direction", "input")));
        Assert.Equal(r.GetProperty("outputTokens").GetInt64(), Sum(samples, "evocode_model_tokens_total", ("model", "fake"), ("direction", "output")));
        Assert.Equal((double)r.GetProperty("cost").GetDecimal(), SumValue(samples, "evocode_model_cost_total", ("model", "fake")), 9);
        Assert.Equal(1L, Sum(samples, "evocode_runs_total", ("status", "running")));
        Assert.Equal(1L, Sum(samples, "evocode_runs_total", ("status", "completed")));
        // Sandbox:Workers defaults to the machine's cores, plus the compile lane's one worker (ADR-018).
        long workers = Math.Clamp(Environment.ProcessorCount, 1, 64) + 1;
        Assert.Equal(workers, Sum(samples, "evocode_sandbox_workers", ("state", "idle")) + Sum(samples, "evocode_sandbox_workers", ("state", "busy")));
    }

    [Fact]
    public void Log_OfARunWithPlantedSecrets_HasOneLinePerRunEventAndNoSecretAndNoSqlCommand()
    {
        var log = run.Server.Process.Log;
        var runId = run.Run.GetProperty("id").GetString();
        var improvements = run.Run.GetProperty("improvements").GetInt64();

        Assert.DoesNotContain(run.ApiKey, log, StringComparison.Ordinal);
        Assert.DoesNotContain(run.ModelKey, log, StringComparison.Ordinal);
        Assert.DoesNotContain(run.DatabasePassword, log, StringComparison.Ordinal);
        Assert.DoesNotContain("Executed DbCommand", log, StringComparison.Ordinal);
        Assert.Equal(1L, Count(log, $"Run {runId} started"));
        Assert.Equal(improvements, Count(log, $"Run {runId}: new best"));
        Assert.Equal(1L, Count(log, $"Run {runId} finished as Completed"));
    }

    private static long Count(string log, string text) => Regex.Count(log, Regex.Escape(text));

    /// <summary>A counter's total over the series with these labels (counts are whole numbers in the scrape).</summary>
    private static long Sum(IReadOnlyList<Sample> samples, string name, params (string Key, string Value)[] labels) =>
        (long)Math.Round(SumValue(samples, name, labels));

    private static double SumValue(IReadOnlyList<Sample> samples, string name, params (string Key, string Value)[] labels) =>
        samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).Sum(s => s.Value);

    private static List<Sample> Parse(string scrape)
    {
        var samples = new List<Sample>();
        foreach (var line in scrape.Split('\n'))
        {
            if (SampleLine().Match(line) is not { Success: true } m)
            {
                continue;
            }

            var labels = LabelPair().Matches(m.Groups["labels"].Value).ToDictionary(p => p.Groups["key"].Value, p => p.Groups["value"].Value);
            samples.Add(new Sample(m.Groups["name"].Value, labels, double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture)));
        }

        return samples;
    }

    private sealed record Sample(string Name, Dictionary<string, string> Labels, double Value);

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>[^ ]+)")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(\\.|[^""\\])*)""")]
    private static partial Regex LabelPair();
}
