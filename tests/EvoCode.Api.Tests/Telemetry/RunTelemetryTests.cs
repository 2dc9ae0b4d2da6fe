using System.Globalization;
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
        Assert.Equal(2L, Sum(samples, "evocode_sandbox_workers", ("state", "idle")) + Sum(samples, "evocode_sandbox_workers", ("state", "busy")));
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
