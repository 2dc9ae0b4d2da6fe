using EvoCode.Api.Series;
using EvoCode.Api.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Api.Endpoints;

/// <summary>
/// A run's history for the dashboard's charts, from the whole run and thinned for the page: a metric over
/// evaluations and over time (correct programs, and incorrect ones on their own), the running best, tokens and
/// cost per model, the best score against money spent. Evaluations count as the run counts them.
/// </summary>
internal static class RunSeriesEndpoints
{
    private const int DefaultPoints = 1500;
    private const int MaxPoints = 10_000;
    private const string ScoreMetric = "score";

    public static IEndpointRouteBuilder MapRunSeriesEndpoints(this IEndpointRouteBuilder app, RunSeriesCache cache)
    {
        app.MapGroup("/api/runs").WithTags("Insights").WithHead()
            .MapGet("/{id:guid}/series", (Guid id, string? metric, string? points, [AsParameters] ApiServices services, CancellationToken ct) => GetSeries(id, metric, points, cache, services, ct))
            .WithName("GetSeries")
            .WithSummary("The run's history for charts: a metric over evaluations and time, the running best, usage per model");
        return app;
    }

    public static async Task<Results<Ok<SeriesView>, ProblemHttpResult, ValidationProblem>> GetSeries(
        Guid id, string? metric, string? points, RunSeriesCache cache, ApiServices services, CancellationToken cancellationToken)
    {
        // Query values are read as text, so a bad one is a field error like everywhere else in the API.
        var errors = new FieldErrors();
        var maxPoints = QueryValues.Int(points, "points", 10, MaxPoints, errors) ?? DefaultPoints;
        metric = QueryValues.Text(metric, "metric", 200, errors);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        DateTimeOffset origin;
        long lastEventId;
        await using (var db = await services.Contexts.CreateDbContextAsync(cancellationToken))
        {
            var run = await db.Runs.AsNoTracking().Where(r => r.Id == id).Select(r => new { r.StartedAt, r.CreatedAt }).FirstOrDefaultAsync(cancellationToken);
            if (run is null)
            {
                return NotFoundProblem.Of("run", id);
            }

            origin = run.StartedAt ?? run.CreatedAt;
            // Read before the series: an event after this id is also in the stream the page opens from it.
            lastEventId = await db.RunEvents.Where(e => e.RunId == id).MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0;
        }

        var name = string.IsNullOrWhiteSpace(metric) ? ScoreMetric : metric;
        var view = await cache.ReadAsync(id, series =>
        {
            var index = name == ScoreMetric ? -1 : series.MetricIndex(name);
            return index < 0 && name != ScoreMetric ? null : Build(series, name, index, origin, lastEventId, maxPoints);
        }, cancellationToken);
        return view is null
            ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["metric"] = [$"The run has no metric named '{name}'."] })
            : TypedResults.Ok(view);
    }

    private static SeriesView Build(RunSeries series, string metric, int metricIndex, DateTimeOffset origin, long lastEventId, int maxPoints)
    {
        var evaluations = series.Evaluations;
        double Seconds(DateTimeOffset at) => Math.Max(0, (at - origin).TotalSeconds);
        double Value(SeriesEvaluation e) => metricIndex < 0 ? e.Score ?? double.NaN : e.Metric(metricIndex);
        SeriesPoint Point(int i, double? value) =>
            new(i + 1, Seconds(evaluations[i].EvaluatedAt), value, evaluations[i].Id, evaluations[i].Sequence, evaluations[i].Operator, evaluations[i].Island, evaluations[i].Model);

        var correct = new List<int>();
        var incorrect = new List<int>();
        var improvements = new List<int>();
        double? best = null;
        for (var i = 0; i < evaluations.Count; i++)
        {
            var e = evaluations[i];
            if (!e.Correct)
            {
                incorrect.Add(i);
                continue;
            }

            if (double.IsFinite(Value(e)))
            {
                correct.Add(i);
            }

            if (e.Score is { } score && (best is null || score > best))
            {
                best = score;
                improvements.Add(i);
            }
        }

        var half = Math.Max(10, maxPoints / 2);
        var correctKept = SeriesDownsampling.Extremes(correct.Count, half, k => Value(evaluations[correct[k]]));
        var incorrectKept = SeriesDownsampling.Steps(incorrect.Count, half / 2, k => incorrect[k]);
        var bestKept = SeriesDownsampling.Steps(improvements.Count, half, k => improvements[k]);

        // Money spent when each improvement was evaluated: model calls that started before it.
        var calls = series.ModelCalls;
        var spentAt = new decimal[improvements.Count];
        decimal spent = 0;
        var call = 0;
        for (var k = 0; k < improvements.Count; k++)
        {
            var at = evaluations[improvements[k]].EvaluatedAt;
            for (; call < calls.Count && calls[call].StartedAt <= at; call++)
            {
                spent += calls[call].Cost ?? 0;
            }

            spentAt[k] = spent;
        }

        return new SeriesView(
            lastEventId,
            origin,
            evaluations.Count,
            incorrect.Count,
            metric,
            [ScoreMetric, .. series.MetricNames],
            [.. correctKept.Select(k => Point(correct[k], Value(evaluations[correct[k]])))],
            [.. incorrectKept.Select(k => Point(incorrect[k], null))],
            [.. bestKept.Select(k => Point(improvements[k], evaluations[improvements[k]].Score))],
            [.. bestKept.Select(k => new CostPoint(spentAt[k], evaluations[improvements[k]].Score ?? 0, evaluations[improvements[k]].Id))],
            Usage(calls, origin, half));
    }

    private static List<ModelUsageView> Usage(List<SeriesModelCall> calls, DateTimeOffset origin, int maxPoints)
    {
        var models = calls.Select(c => c.Model).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var perModel = Math.Max(10, maxPoints / Math.Max(1, models.Count));
        var views = new List<ModelUsageView>();
        foreach (var model in models)
        {
            var own = calls.Where(c => c.Model == model).ToList();
            var points = new List<UsagePoint>(own.Count);
            long input = 0, output = 0;
            decimal cost = 0;
            foreach (var c in own)
            {
                input += c.InputTokens ?? 0;
                output += c.OutputTokens ?? 0;
                cost += c.Cost ?? 0;
                points.Add(new UsagePoint(Math.Max(0, (c.StartedAt - origin).TotalSeconds), input, output, cost));
            }

            var kept = SeriesDownsampling.Steps(points.Count, perModel, k => k);
            views.Add(new ModelUsageView(model, own.Count, own.Count(c => c.InputTokens is null), [.. kept.Select(k => points[k])]));
        }

        return views;
    }
}

/// <summary>The chart data of a run; <see cref="LastEventId"/> is where the page's live stream starts.</summary>
internal sealed record SeriesView(
    long LastEventId,
    DateTimeOffset Origin,
    int Evaluations,
    int IncorrectEvaluations,
    string Metric,
    IReadOnlyList<string> Metrics,
    IReadOnlyList<SeriesPoint> Correct,
    IReadOnlyList<SeriesPoint> Incorrect,
    IReadOnlyList<SeriesPoint> Best,
    IReadOnlyList<CostPoint> BestByCost,
    IReadOnlyList<ModelUsageView> Models);

/// <summary>One evaluation: its number as the run counts them, seconds since the run started, the metric's value (null when incorrect).</summary>
internal sealed record SeriesPoint(int Evaluation, double Seconds, double? Value, Guid ProgramId, long Sequence, string Operator, int Island, string? Model);

internal sealed record CostPoint(decimal Cost, double Score, Guid ProgramId);

/// <summary>A model's calls; <see cref="UnreportedCalls"/> had no token count from the provider.</summary>
internal sealed record ModelUsageView(string Model, int Calls, int UnreportedCalls, IReadOnlyList<UsagePoint> Points);

/// <summary>Running totals of a model's usage after a call that started <see cref="Seconds"/> after the run.</summary>
internal sealed record UsagePoint(double Seconds, long InputTokens, long OutputTokens, decimal Cost);
