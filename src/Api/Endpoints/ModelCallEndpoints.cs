using EvoCode.Api.Contracts;
using EvoCode.Api.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Api.Endpoints;

/// <summary>A run's model calls: every attempt with its tokens, cost, latency and outcome, and figures per model.</summary>
internal static class ModelCallEndpoints
{
    private const int MaxPageSize = 500;

    public static IEndpointRouteBuilder MapModelCallEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/runs").WithTags("Model calls").WithHead();
        api.MapGet("/{id:guid}/model-calls", ListModelCalls).WithName("ListModelCalls").WithSummary("A page of a run's model call attempts, oldest first");
        api.MapGet("/{id:guid}/model-calls/by-model", ModelCallsByModel).WithName("ModelCallsByModel").WithSummary("Calls, tokens, cost, latency percentiles and outcomes per model");
        return app;
    }

    public static async Task<Results<Ok<Paged<ModelCallView>>, ProblemHttpResult, ValidationProblem>> ListModelCalls(
        Guid id, [AsParameters] ModelCallQuery query, [AsParameters] ApiServices services, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var (page, pageSize, offset) = QueryValues.Page(query.Page, query.PageSize, errors, defaultPageSize: 100);
        var model = QueryValues.Text(query.Model, "model", 200, errors);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The page cannot be read.");
        }

        await using var db = await services.Contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.Runs.AnyAsync(r => r.Id == id, cancellationToken))
        {
            return NotFoundProblem.Of("run", id);
        }

        var calls = db.ModelCalls.AsNoTracking().Where(c => c.RunId == id);
        if (model is { Length: > 0 })
        {
            calls = calls.Where(c => c.Model == model);
        }

        var total = await calls.CountAsync(cancellationToken);
        var items = await calls.OrderBy(c => c.Id).Skip(offset).Take(pageSize)
            .Select(c => new ModelCallView(c.Id, c.Model, c.Provider, c.Operator, c.CandidateId, c.ProposalId, c.Rejection, c.Attempt, c.Outcome, c.EditOutcome, c.Error, c.InputTokens, c.OutputTokens, c.Cost, c.UsageEstimated, c.LatencyMs, c.StartedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new Paged<ModelCallView>(items, total, page, pageSize));
    }

    public static async Task<Results<Ok<IReadOnlyList<ModelFigures>>, ProblemHttpResult>> ModelCallsByModel(
        Guid id, [AsParameters] ApiServices services, CancellationToken cancellationToken)
    {
        await using var db = await services.Contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.Runs.AnyAsync(r => r.Id == id, cancellationToken))
        {
            return NotFoundProblem.Of("run", id);
        }

        var rows = await db.ModelCalls.AsNoTracking().Where(c => c.RunId == id)
            .Select(c => new { c.Model, c.InputTokens, c.OutputTokens, c.Cost, c.LatencyMs, c.Outcome })
            .ToListAsync(cancellationToken);
        IReadOnlyList<ModelFigures> figures =
        [
            .. rows.GroupBy(r => r.Model, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
            {
                var latencies = g.Select(r => r.LatencyMs).Order().ToArray();
                return new ModelFigures(
                    g.Key,
                    g.Count(),
                    g.Sum(r => (long)(r.InputTokens ?? 0)),
                    g.Sum(r => (long)(r.OutputTokens ?? 0)),
                    g.Sum(r => r.Cost ?? 0m),
                    Percentile(latencies, 0.5),
                    Percentile(latencies, 0.9),
                    Percentile(latencies, 0.99),
                    g.GroupBy(r => r.Outcome, StringComparer.Ordinal).ToDictionary(o => o.Key, o => (long)o.Count(), StringComparer.Ordinal));
            }),
        ];
        return TypedResults.Ok(figures);
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

/// <summary>Which page of a run's model calls.</summary>
internal sealed record ModelCallQuery
{
    [FromQuery(Name = "model")]
    public string? Model { get; init; }

    [FromQuery(Name = "page")]
    public string? Page { get; init; }

    [FromQuery(Name = "pageSize")]
    public string? PageSize { get; init; }
}

/// <summary>
/// One model call attempt: the program it produced (<c>candidateId</c>, once stored) or why its proposal was
/// screened out (<c>rejection</c>); <c>estimated</c> when the provider reported no usage and the tokens were counted.
/// </summary>
internal sealed record ModelCallView(
    long Id, string Model, string Provider, string? Operator, Guid? CandidateId, Guid? ProposalId, string? Rejection, int Attempt, string Outcome, string? EditOutcome, string? Error,
    int? InputTokens, int? OutputTokens, decimal? Cost, bool Estimated, double LatencyMs, DateTimeOffset StartedAt);

/// <summary>What one model did for a run.</summary>
internal sealed record ModelFigures(
    string Model, long Calls, long InputTokens, long OutputTokens, decimal Cost, double LatencyP50Ms, double LatencyP90Ms, double LatencyP99Ms, IReadOnlyDictionary<string, long> Outcomes);
