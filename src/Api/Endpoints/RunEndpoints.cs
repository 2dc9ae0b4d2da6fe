using EvoCode.Api.Contracts;
using EvoCode.Api.Security;
using EvoCode.Api.Validation;
using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Engine;
using EvoCode.Evolver.Llm;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Api.Endpoints;

/// <summary>Runs: start one, watch its counters, pause, resume or cancel it.</summary>
internal static class RunEndpoints
{
    public static IEndpointRouteBuilder MapRunEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/runs").WithTags("Runs").AddEndpointFilter<ApiKeyFilter>();
        api.MapPost("/", StartRun).WithName("StartRun").WithSummary("Start a run of a problem; settings override the problem's defaults");
        api.MapGet("/", ListRuns).WithName("ListRuns").WithSummary("Runs, newest first, optionally by status and problem");
        api.MapGet("/{id:guid}", GetRun).WithName("GetRun").WithSummary("A run with its live status, counters, statistics and budget");
        api.MapPost("/{id:guid}/pause", PauseRun).WithName("PauseRun").WithSummary("Pause a pending or running run");
        api.MapPost("/{id:guid}/resume", ResumeRun).WithName("ResumeRun").WithSummary("Resume a paused run");
        api.MapPost("/{id:guid}/cancel", CancelRun).WithName("CancelRun").WithSummary("Cancel a run that has not finished");
        return app;
    }

    public static async Task<Results<Created<RunDetail>, ValidationProblem>> StartRun(
        StartRunRequest request, RunControl control, ILanguageModelOperatorFactory models, [AsParameters] ApiServices services, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        await using var db = await services.Contexts.CreateDbContextAsync(cancellationToken);
        var problem = request.ProblemId is { } problemId
            ? await db.Problems.AsNoTracking().FirstOrDefaultAsync(p => p.Id == problemId, cancellationToken)
            : null;
        if (problem is null)
        {
            errors.Add("problemId", request.ProblemId is null ? "Required." : "No problem with this id.");
        }

        if (request.Name is { Length: > 200 })
        {
            errors.Add("name", "At most 200 characters.");
        }

        var settings = RunSettingsReader.Merge(problem?.DefaultSettings ?? new RunSettings(), request.Settings, "settings", errors);
        if (settings is not null)
        {
            RunSettingsReader.Validate(settings, "settings", models.ModelNames, errors);
        }

        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The run cannot start.");
        }

        var run = await control.StartAsync(problem!.Id, settings!, request.Name, cancellationToken);
        return TypedResults.Created($"/api/runs/{run.Id}", RunDetail.Of(run, problem.Name));
    }

    public static async Task<Ok<List<RunSummary>>> ListRuns(RunStatus? status, Guid? problemId, [AsParameters] ApiServices services, CancellationToken cancellationToken)
    {
        await using var db = await services.Contexts.CreateDbContextAsync(cancellationToken);
        var query = db.Runs.AsNoTracking();
        if (status is { } s)
        {
            query = query.Where(r => r.Status == s);
        }

        if (problemId is { } p)
        {
            query = query.Where(r => r.ProblemId == p);
        }

        var rows = await query
            .OrderByDescending(r => r.CreatedAt)
            .Join(db.Problems, r => r.ProblemId, p => p.Id, (r, p) => new { Run = r, p.Name })
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(r => RunSummary.From(r.Run, r.Name)).ToList());
    }

    public static async Task<Results<Ok<RunDetail>, ProblemHttpResult>> GetRun(Guid id, [AsParameters] ApiServices services, CancellationToken cancellationToken)
    {
        var run = await LoadAsync(id, services, cancellationToken);
        return run is null ? NotFoundProblem.Of("run", id) : TypedResults.Ok(run);
    }

    public static Task<Results<Ok<RunDetail>, ProblemHttpResult>> PauseRun(Guid id, RunControl control, [AsParameters] ApiServices services, CancellationToken cancellationToken) =>
        ChangeAsync(id, "pause", control.PauseAsync, services, cancellationToken);

    public static Task<Results<Ok<RunDetail>, ProblemHttpResult>> ResumeRun(Guid id, RunControl control, [AsParameters] ApiServices services, CancellationToken cancellationToken) =>
        ChangeAsync(id, "resume", control.ResumeAsync, services, cancellationToken);

    public static Task<Results<Ok<RunDetail>, ProblemHttpResult>> CancelRun(Guid id, RunControl control, [AsParameters] ApiServices services, CancellationToken cancellationToken) =>
        ChangeAsync(id, "cancel", control.CancelAsync, services, cancellationToken);

    private static async Task<Results<Ok<RunDetail>, ProblemHttpResult>> ChangeAsync(
        Guid id, string verb, Func<Guid, CancellationToken, Task<bool>> change, ApiServices services, CancellationToken cancellationToken)
    {
        var before = await LoadAsync(id, services, cancellationToken);
        if (before is null)
        {
            return NotFoundProblem.Of("run", id);
        }

        if (!await change(id, cancellationToken))
        {
            var now = await LoadAsync(id, services, cancellationToken);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: $"Cannot {verb} a run that is {now?.Status ?? before.Status}.");
        }

        return TypedResults.Ok((await LoadAsync(id, services, cancellationToken))!);
    }

    private static async Task<RunDetail?> LoadAsync(Guid id, ApiServices services, CancellationToken cancellationToken)
    {
        await using var db = await services.Contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Runs.AsNoTracking()
            .Where(r => r.Id == id)
            .Join(db.Problems, r => r.ProblemId, p => p.Id, (r, p) => new { Run = r, p.Name })
            .FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : RunDetail.Of(row.Run, row.Name);
    }
}
