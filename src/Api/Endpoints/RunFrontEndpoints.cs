using EvoCode.Api.Contracts;
using EvoCode.Evolver.Engine;
using EvoCode.Evolver.Search;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Api.Endpoints;

/// <summary>A run's Pareto front over its objectives, with its correct programs behind it (the dashboard's scatter).</summary>
internal static class RunFrontEndpoints
{
    /// <summary>The newest correct programs a scatter gets besides the front.</summary>
    public const int MaxPoints = 2000;

    public static IEndpointRouteBuilder MapRunFrontEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/runs").WithTags("Insights").WithHead().WithETag()
            .MapGet("/{id:guid}/front", GetFront).WithName("GetRunFront")
            .WithSummary("The run's non-dominated programs over all cells and islands, with their objective values; the best program for a run of one score");
        return app;
    }

    public static async Task<Results<Ok<RunFrontResponse>, ProblemHttpResult>> GetFront(Guid id, [AsParameters] ApiServices services, CancellationToken cancellationToken)
    {
        await using var db = await services.Contexts.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (run is null)
        {
            return NotFoundProblem.Of("run", id);
        }

        var front = await RunFront.ReadAsync(db, run, cancellationToken);
        var correct = db.Candidates.AsNoTracking().Where(c => c.RunId == id && c.Correct == true && c.Score != null);
        var total = await correct.CountAsync(cancellationToken);
        var rows = await correct.OrderByDescending(c => c.Sequence).Take(MaxPoints)
            .Select(c => new { c.Id, c.Sequence, c.Island, c.CellKey, c.Score, c.Metrics })
            .ToListAsync(cancellationToken);
        rows.Reverse();
        var points = rows
            .Select(r => (Row: r, Values: front.Objectives.Select(o => ObjectiveValues.Value(o, r.Score, r.Metrics)).ToList()))
            .Where(p => p.Values.TrueForAll(v => v is not null))
            .Select(p => new FrontProgramView(p.Row.Id, p.Row.Sequence, p.Row.Island, p.Row.CellKey, [.. p.Values.Select(v => v!.Value)]))
            .ToList();
        return TypedResults.Ok(new RunFrontResponse(
            [.. front.Objectives.Select(o => new ObjectiveView(o.Metric, o.Goal))],
            [.. front.Programs.Select(p => new FrontProgramView(p.Id, p.Sequence, p.Island, p.CellKey, p.Values))],
            total,
            points));
    }
}
