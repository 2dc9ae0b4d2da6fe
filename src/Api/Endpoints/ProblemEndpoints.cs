using EvoCode.Api.Contracts;
using EvoCode.Api.Examples;
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
        var api = app.MapGroup("/api/problems").WithTags("Problems").WithHead();
        api.MapPost("/", CreateProblem).WithName("CreateProblem").WithSummary("Create a problem from a seed and an evaluator");
        api.MapPost("/examples/{name}", CreateExampleProblem).WithName("CreateExampleProblem").WithSummary("Create (or return) the problem of a bundled example");
        api.MapGet("/", ListProblems).WithName("ListProblems").WithSummary("A page of problems (summaries), newest first");
        api.MapGet("/{id:guid}", GetProblem).WithName("GetProblem").WithSummary("One problem");
        api.MapDelete("/{id:guid}", DeleteProblem).WithName("DeleteProblem").WithSummary("Delete a problem that no run uses");
        api.MapPost("/{id:guid}/evaluate", ProgramEvaluation.Evaluate).WithName("EvaluateProgram")
            .WithSummary("Score one program with the problem's evaluator in the sandbox; nothing is stored");
        return app;
    }

    public static async Task<Results<Created<ProblemResponse>, ValidationProblem, ProblemHttpResult>> CreateProblem(
        [FromBody] CreateProblemRequest? request, ProblemReader reader, [AsParameters] ApiServices services, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            return RequestBody.Missing("a problem");
        }

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

        if (await FindAsync(services, example.Name, cancellationToken) is { } existing)
        {
            return TypedResults.Ok(ProblemResponse.From(existing));
        }

        await using var db = await services.Contexts.CreateDbContextAsync(cancellationToken);
        var problem = ExampleProblems.ToProblem(example, services.Time.GetUtcNow());
        db.Problems.Add(problem);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another request created it between the read and the insert (names are unique): the same answer as a repeat.
            var created = await FindAsync(services, example.Name, cancellationToken);
            if (created is null)
            {
                throw;
            }

            return TypedResults.Ok(ProblemResponse.From(created));
        }

        return TypedResults.Created($"/api/problems/{problem.Id}", ProblemResponse.From(problem));
    }

    private static async Task<Problem?> FindAsync(ApiServices services, string name, CancellationToken cancellationToken)
    {
        await using var db = await services.Contexts.CreateDbContextAsync(cancellationToken);
        return await db.Problems.AsNoTracking().FirstOrDefaultAsync(p => p.Name == name, cancellationToken);
    }

    public static async Task<Results<Ok<Paged<ProblemSummary>>, ValidationProblem>> ListProblems(
        [FromQuery(Name = "page")] string? page,
        [FromQuery(Name = "pageSize")] string? pageSize,
        [AsParameters] ApiServices services,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var paging = QueryValues.Page(page, pageSize, errors);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The query is not valid.");
        }

        await using var db = await services.Contexts.CreateDbContextAsync(cancellationToken);
        var total = await db.Problems.CountAsync(cancellationToken);
        var items = await db.Problems.AsNoTracking()
            .OrderByDescending(p => p.CreatedAt).ThenBy(p => p.Id)
            .Skip(paging.Offset).Take(paging.PageSize)
            .Select(p => new ProblemSummary(p.Id, p.Name, p.Title, p.EvaluatorId, p.CreatedAt, db.Runs.Count(r => r.ProblemId == p.Id)))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new Paged<ProblemSummary>(items, total, paging.Page, paging.PageSize));
    }

    public static async Task<Results<Ok<ProblemResponse>, ProblemHttpResult>> GetProblem(Guid id, [AsParameters] ApiServices services, CancellationToken cancellationToken)
    {
        await using var db = await services.Contexts.CreateDbContextAsync(cancellationToken);
        var problem = await db.Problems.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        return problem is null ? NotFoundProblem.Of("problem", id) : TypedResults.Ok(ProblemResponse.From(problem));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteProblem(Guid id, [AsParameters] ApiServices services, CancellationToken cancellationToken)
    {
        await using var db = await services.Contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.Problems.AnyAsync(p => p.Id == id, cancellationToken))
        {
            return NotFoundProblem.Of("problem", id);
        }

        var runs = await db.Runs.CountAsync(r => r.ProblemId == id, cancellationToken);
        if (runs > 0)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: $"{runs} run(s) use this problem.",
                detail: "Delete its runs first (DELETE /api/runs/{id}).");
        }

        // The runs' foreign key restricts the delete, so a run started meanwhile makes this fail rather than orphan.
        await db.Problems.Where(p => p.Id == id).ExecuteDeleteAsync(cancellationToken);
        return TypedResults.NoContent();
    }
}
