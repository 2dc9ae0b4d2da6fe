using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Api.Endpoints;

/// <summary>The model ensemble's saved state of a run (policy and each model's pulls, rewards and costs), as the engine keeps it.</summary>
internal static class RunEnsembleEndpoints
{
    public static IEndpointRouteBuilder MapRunEnsembleEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/runs").WithTags("Insights").WithHead()
            .MapGet("/{id:guid}/ensemble", GetEnsemble)
            .WithName("GetEnsemble")
            .WithSummary("The model ensemble's current state (bandit arms); null when the run has not picked a model yet");
        return app;
    }

    public static async Task<Results<Ok<EnsembleView>, ProblemHttpResult>> GetEnsemble(Guid id, [AsParameters] ApiServices services, CancellationToken cancellationToken)
    {
        await using var db = await services.Contexts.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().Where(r => r.Id == id).Select(r => new { r.EnsembleState }).FirstOrDefaultAsync(cancellationToken);
        if (run is null)
        {
            return NotFoundProblem.Of("run", id);
        }

        if (run.EnsembleState is null)
        {
            return TypedResults.Ok(new EnsembleView(null));
        }

        try
        {
            using var state = JsonDocument.Parse(run.EnsembleState);
            return TypedResults.Ok(new EnsembleView(state.RootElement.Clone()));
        }
        catch (JsonException)
        {
            // The engine writes this column; a state it cannot have written is shown as none rather than failing the page.
            return TypedResults.Ok(new EnsembleView(null));
        }
    }
}

/// <summary><see cref="State"/> is the engine's saved ensemble (policy, maxImprovement, arms by model).</summary>
internal sealed record EnsembleView(JsonElement? State);
