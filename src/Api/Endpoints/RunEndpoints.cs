using EvoCode.Api.Contracts;
using EvoCode.Api.Validation;
using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Engine;
using EvoCode.Evolver.Languages;
using EvoCode.Evolver.Llm;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Api.Endpoints;

/// <summary>Runs: start one, watch its counters, pause, resume, cancel, extend or delete it.</summary>
internal static class RunEndpoints
{
    private static readonly string[] s_budgets = ["maxEvaluations", "maxProposals", "maxTokens", "maxCost", "maxWallTimeSeconds", "targetScore"];

    public static IEndpointRouteBuilder MapRunEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/runs").WithTags("Runs").WithHead();
        api.MapPost("/", StartRun).WithName("StartRun").WithSummary("Start a run of a problem; settings override the problem's defaults");
        api.MapGet("/", ListRuns).WithName("ListRuns").WithSummary("A page of runs, newest first, optionally by status and problem");
        api.MapGet("/{id:guid}", GetRun).WithName("GetRun").WithSummary("A run with its live status, counters, statistics and budget");
        api.MapPost("/{id:guid}/pause", PauseRun).WithName("PauseRun").WithSummary("Pause a pending or running run");
        api.MapPost("/{id:guid}/resume", ResumeRun).WithName("ResumeRun").WithSummary("Resume a paused run");
        api.MapPost("/{id:guid}/cancel", CancelRun).WithName("CancelRun").WithSummary("Cancel a run that has not finished");
        api.MapPost("/{id:guid}/extend", ExtendRun).WithName("ExtendRun").WithSummary("Give a completed or cancelled run new budgets; it resumes where it stopped");
        api.MapDelete("/{id:guid}", DeleteRun).WithName("DeleteRun").WithSummary("Delete a finished run with its programs, events and model calls");
        return app;
    }

    public static async Task<Results<Created<RunDetail>, ValidationProblem>> StartRun(
        [FromBody] StartRunRequest? request,
        RunControl control,
        ILanguageModelOperatorFactory models,
        IEvaluatorResolver evaluators,
        [AsParameters] ApiServices services,
        CancellationToken cancellationToken)
    {
        if (request is null)
        {
            return RequestBody.Missing("a run");
        }

        var errors = new FieldErrors();
        TextRules.RefuseNul(request, errors);
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
            // Objectives may name the evaluator's metrics besides the built-in ones.
            var metrics = problem is null ? null : evaluators.Resolve(problem).Descriptor.Metrics.Select(m => m.Name).ToList();
            RunSettingsReader.Validate(settings, "settings", models.ModelNames, problem is null ? null : ProgramLanguages.Of(problem), errors, metrics);
            if (problem is not null)
            {
                await SeedRunCheck.RefuseAsync(db, settings, problem, "settings.seedRunId", errors, cancellationToken);
            }
            if (problem is not null && settings.FeatureDimensions is { Count: > 0 } dimensions && request.Settings?.TryGetProperty("featureDimensions", out _) == true)
            {
                RunSettingsReader.RefuseUnmeasured(dimensions, evaluators.Resolve(problem).Descriptor.Features, "settings.featureDimensions", errors);
            }
        }

        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The run cannot start.");
        }

        var run = await control.StartAsync(problem!.Id, settings!, request.Name, cancellationToken);
        return TypedResults.Created($"/api/runs/{run.Id}", RunDetail.Of(run, problem.Name));
    }

    public static async Task<Results<Ok<Paged<RunSummary>>, ValidationProblem>> ListRuns(
        [FromQuery(Name = "status")] string? status,
        [FromQuery(Name = "problemId")] string? problemId,
        [FromQuery(Name = "page")] string? page,
        [FromQuery(Name = "pageSize")] string? pageSize,
        [AsParameters] ApiServices services,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var wantedStatus = QueryValues.Name<RunStatus>(status, "status", errors);
        var wantedProblem = QueryValues.Id(problemId, "problemId", errors);
        var paging = QueryValues.Page(page, pageSize, errors);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The query is not valid.");
        }

        await using var db = await services.Contexts.CreateDbContextAsync(cancellationToken);
        var query = db.Runs.AsNoTracking();
        if (wantedStatus is { } s)
        {
            query = query.Where(r => r.Status == s);
        }

        if (wantedProblem is { } p)
        {
            query = query.Where(r => r.ProblemId == p);
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await query
            .OrderByDescending(r => r.CreatedAt).ThenBy(r => r.Id)
            .Skip(paging.Offset).Take(paging.PageSize)
            .Join(db.Problems, r => r.ProblemId, p => p.Id, (r, p) => new { Run = r, p.Name })
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new Paged<RunSummary>([.. rows.Select(r => RunSummary.From(r.Run, r.Name))], total, paging.Page, paging.PageSize));
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

    public static async Task<Results<Ok<RunDetail>, ValidationProblem, ProblemHttpResult>> ExtendRun(
        Guid id, [FromBody] ExtendRunRequest? request, RunControl control, ILanguageModelOperatorFactory models, [AsParameters] ApiServices services, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            return RequestBody.Missing("the new budgets");
        }

        var before = await LoadAsync(id, services, cancellationToken);
        if (before is null)
        {
            return NotFoundProblem.Of("run", id);
        }

        var errors = new FieldErrors();
        if (request.Budgets is { ValueKind: System.Text.Json.JsonValueKind.Object } budgets)
        {
            foreach (var property in budgets.EnumerateObject().Where(p => !s_budgets.Contains(p.Name, StringComparer.Ordinal)))
            {
                errors.Add($"budgets.{property.Name}", $"Not a budget; one of {string.Join(", ", s_budgets)}.");
            }
        }
        else
        {
            errors.Add("budgets", $"Required: an object with any of {string.Join(", ", s_budgets)}.");
        }

        var settings = errors.Any ? null : RunSettingsReader.Merge(before.Settings, request.Budgets, "budgets", errors);
        if (settings is not null)
        {
            RunSettingsReader.Validate(settings, "budgets", models.ModelNames, null, errors);
            if (settings.MaxEvaluations is { } evaluations && evaluations <= before.Evaluations)
            {
                errors.Add("budgets.maxEvaluations", $"Must be more than the {before.Evaluations} evaluations the run has made.");
            }

            if (settings.MaxProposals is { } proposals && proposals <= before.Proposals)
            {
                errors.Add("budgets.maxProposals", $"Must be more than the {before.Proposals} proposals the run has made.");
            }
        }

        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The run cannot be extended.");
        }

        if (!await control.ExtendAsync(id, settings!, cancellationToken))
        {
            var now = await LoadAsync(id, services, cancellationToken);
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"Cannot extend a run that is {now?.Status ?? before.Status}; only Completed or Cancelled runs.");
        }

        return TypedResults.Ok((await LoadAsync(id, services, cancellationToken))!);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteRun(Guid id, [AsParameters] ApiServices services, CancellationToken cancellationToken)
    {
        await using var db = await services.Contexts.CreateDbContextAsync(cancellationToken);
        var status = await db.Runs.Where(r => r.Id == id).Select(r => (RunStatus?)r.Status).FirstOrDefaultAsync(cancellationToken);
        if (status is null)
        {
            return NotFoundProblem.Of("run", id);
        }

        if (status is not (RunStatus.Completed or RunStatus.Cancelled or RunStatus.Failed))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"Cannot delete a run that is {status}; cancel it first.");
        }

        // Children first, in one transaction: archive cells, front members and parent edges restrict the programs they point at.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var finished = await db.Runs.Where(r => r.Id == id && (r.Status == RunStatus.Completed || r.Status == RunStatus.Cancelled || r.Status == RunStatus.Failed))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.StatusReason, r => r.StatusReason), cancellationToken);
        if (finished == 0)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The run changed status meanwhile; cancel it first.");
        }

        await db.ArchiveCells.Where(c => c.RunId == id).ExecuteDeleteAsync(cancellationToken);
        await db.FrontMembers.Where(m => m.RunId == id).ExecuteDeleteAsync(cancellationToken);
        await db.CandidateParents.Where(p => db.Candidates.Any(c => c.Id == p.CandidateId && c.RunId == id)).ExecuteDeleteAsync(cancellationToken);
        await db.ModelCalls.Where(c => c.RunId == id).ExecuteDeleteAsync(cancellationToken);
        await db.RunEvents.Where(e => e.RunId == id).ExecuteDeleteAsync(cancellationToken);
        await db.Candidates.Where(c => c.RunId == id).ExecuteDeleteAsync(cancellationToken);
        await db.Runs.Where(r => r.Id == id).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

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
