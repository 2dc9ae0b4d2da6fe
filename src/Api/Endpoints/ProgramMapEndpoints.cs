using EvoCode.Api.Contracts;
using EvoCode.Evolver.Search;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Api.Endpoints;

/// <summary>The map of a run's programs by meaning (PCA of their code embeddings), coloured by score.</summary>
internal static class ProgramMapEndpoints
{
    /// <summary>The newest programs a map holds: enough to see clusters, cheap to project on every request.</summary>
    public const int MaxPoints = 2000;

    public static IEndpointRouteBuilder MapProgramMapEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/runs").WithTags("Insights").WithHead().WithETag()
            .MapGet("/{id:guid}/map", GetProgramMap).WithName("GetProgramMap")
            .WithSummary("The run's programs on a 2-D map by meaning (PCA of their code embeddings), with their scores");
        return app;
    }

    public static async Task<Results<Ok<ProgramMapView>, ProblemHttpResult>> GetProgramMap(Guid id, [AsParameters] ApiServices services, CancellationToken cancellationToken)
    {
        await using var db = await services.Contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.Runs.AsNoTracking().AnyAsync(r => r.Id == id, cancellationToken))
        {
            return NotFoundProblem.Of("run", id);
        }

        var embedded = db.Candidates.AsNoTracking().Where(c => c.RunId == id && c.Embedding != null);
        var total = await embedded.CountAsync(cancellationToken);
        var rows = await embedded.OrderByDescending(c => c.Sequence).Take(MaxPoints)
            .Select(c => new { c.Id, c.Sequence, c.Island, c.Operator, c.Score, c.Correct, c.Embedding })
            .ToListAsync(cancellationToken);
        rows.Reverse();
        var (coordinates, explained) = PrincipalComponents.Project2D([.. rows.Select(r => CodeEmbedder.FromBytes(r.Embedding!))]);
        var points = rows.Select((r, i) => new ProgramMapPoint(r.Id, r.Sequence, r.Island, r.Operator, r.Score, r.Correct, coordinates[i][0], coordinates[i][1])).ToList();
        return TypedResults.Ok(new ProgramMapView(points.Count, total, explained, points));
    }
}
