using EvoCode.Api.Contracts;
using EvoCode.Api.Examples;
using EvoCode.Api.Security;
using EvoCode.Api.Validation;
using EvoCode.Evolver.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Api.Endpoints;

/// <summary>Problems: what to discover and how it is scored.</summary>
internal static class ProblemEndpoints
{
    public static IEndpointRouteBuilder MapProblemEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/problems").WithTags("Problems").AddEndpointFilter<ApiKeyFilter>();
        api.MapPost("/", CreateProblem).WithName("CreateProblem").WithSummary("Create a problem from a seed and an evaluator");
        api.MapPost("/examples/{name}", CreateExampleProblem).WithName("CreateExampleProblem").WithSummary("Create (or return) the problem of a bundled example");
        api.MapGet("/", ListProblems).WithName("ListProblems").WithSummary("All problems, newest first");
        api.MapGet("/{id:guid}", GetProblem).WithName("GetProblem").WithSummary("One problem");
        return app;
    }

    public static async Task<Results<Created<ProblemResponse>, ValidationProblem, ProblemHttpResult>> CreateProblem(
        CreateProblemRequest request, ProblemReader reader, [AsParameters] ApiServices services, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var problem = await reader.ReadAsync(request, services.Options.Value.MaxSourceBytes, errors, cancellationToken);
        if (problem is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The problem is not valid.");
        }

        await using var db = await services.Contexts.CreateDbContextAsync(cancellationToken);
        if (await db.Problems.AnyAsync(p => p.Name == problem.Name, cancellationToken))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"A problem named '{problem.Name}' exists already.");
        }

        problem.CreatedAt = services.Time.GetUtcNow();
        db.Problems.Add(problem);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/problems/{problem.Id}", ProblemResponse.From(problem));
    }

    public static async Task<Results<Created<ProblemResponse>, Ok<ProblemResponse>, ProblemHttpResult>> CreateExampleProblem(
        string name, ExampleShelf examples, [AsParameters] ApiServices services, CancellationToken cancellationToken)
    {
        var example = examples.Find(name);
        if (example is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No example named '{name}'.");
        }

        await using var db = await services.Contexts.CreateDbContextAsync(cancellationToken);
        var existing = await db.Problems.AsNoTracking().FirstOrDefaultAsync(p => p.Name == example.Name, cancellationToken);
        if (existing is not null)
        {
            return TypedResults.Ok(ProblemResponse.From(existing));
        }

        var problem = ExampleProblems.ToProblem(example, services.Time.GetUtcNow());
        db.Problems.Add(problem);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/problems/{problem.Id}", ProblemResponse.From(problem));
    }

    public static async Task<Ok<List<ProblemResponse>>> ListProblems([AsParameters] ApiServices services, CancellationToken cancellationToken)
    {
        await using var db = await services.Contexts.CreateDbContextAsync(cancellationToken);
        var problems = await db.Problems.AsNoTracking().OrderByDescending(p => p.CreatedAt).ToListAsync(cancellationToken);
        return TypedResults.Ok(problems.Select(ProblemResponse.From).ToList());
    }

    public static async Task<Results<Ok<ProblemResponse>, ProblemHttpResult>> GetProblem(Guid id, [AsParameters] ApiServices services, CancellationToken cancellationToken)
    {
        await using var db = await services.Contexts.CreateDbContextAsync(cancellationToken);
        var problem = await db.Problems.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        return problem is null ? NotFoundProblem.Of("problem", id) : TypedResults.Ok(ProblemResponse.From(problem));
    }
}
