using EvoCode.Api.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Api.Endpoints;

/// <summary>
/// The dashboard's program table: a run's programs filtered by any column and by text in the source or the model's
/// reply (its note on the change), sorted by any column, a page at a time. Text matching is case-sensitive on
/// both stores (SQLite instr, PostgreSQL strpos), so the two agree.
/// </summary>
internal static class ProgramSearchEndpoints
{
    private const int MaxPageSize = 500;
    private const int MaxTextLength = 200;
    private static readonly string[] s_sorts = ["score", "sequence", "generation", "island", "operator", "model", "outcome"];

    public static IEndpointRouteBuilder MapProgramSearchEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/runs").WithTags("Programs").WithHead()
            .MapGet("/{id:guid}/programs/search", Search)
            .WithName("SearchPrograms")
            .WithSummary("A page of a run's programs, filtered by any column and by text in the source or reply, sorted by any column");
        return app;
    }

    public static async Task<Results<Ok<Paged<ProgramSummary>>, ProblemHttpResult, ValidationProblem>> Search(
        Guid id, [AsParameters] ProgramSearch query, [AsParameters] ApiServices services, CancellationToken cancellationToken)
    {
        var errors = new Validation.FieldErrors();
        var sort = query.Sort ?? "sequence";
        var order = query.Order ?? (sort == "score" ? "desc" : "asc");
        if (!s_sorts.Contains(sort))
        {
            errors.Add("sort", $"Must be one of {string.Join(", ", s_sorts)}.");
        }

        if (order is not ("asc" or "desc"))
        {
            errors.Add("order", "Must be asc or desc.");
        }

        var (page, pageSize, offset) = Validation.QueryValues.Page(query.Page, query.PageSize, errors);
        var island = Validation.QueryValues.Int(query.Island, "island", 0, int.MaxValue, errors);
        var generation = Validation.QueryValues.Int(query.Generation, "generation", 0, int.MaxValue, errors);
        var correct = Validation.QueryValues.Bool(query.Correct, "correct", errors);
        var op = Validation.QueryValues.Text(query.Operator, "operator", MaxTextLength, errors);
        var model = Validation.QueryValues.Text(query.Model, "model", MaxTextLength, errors);
        var outcome = Validation.QueryValues.Text(query.Outcome, "outcome", MaxTextLength, errors);
        var text = Validation.QueryValues.Text(query.Text, "q", MaxTextLength, errors);

        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        await using var db = await services.Contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.Runs.AnyAsync(r => r.Id == id, cancellationToken))
        {
            return NotFoundProblem.Of("run", id);
        }

        var programs = db.Candidates.AsNoTracking().Where(c => c.RunId == id);
        if (island is { } islandValue)
        {
            programs = programs.Where(c => c.Island == islandValue);
        }

        if (generation is { } generationValue)
        {
            programs = programs.Where(c => c.Generation == generationValue);
        }

        if (correct is { } correctValue)
        {
            programs = programs.Where(c => c.Correct == correctValue);
        }

        if (!string.IsNullOrEmpty(op))
        {
            programs = programs.Where(c => c.Operator == op);
        }

        if (!string.IsNullOrEmpty(model))
        {
            programs = programs.Where(c => c.Model == model);
        }

        if (!string.IsNullOrEmpty(outcome))
        {
            programs = programs.Where(c => c.Outcome == outcome);
        }

        if (!string.IsNullOrEmpty(text))
        {
            programs = programs.Where(c => c.Source.Contains(text) || (c.Reply != null && c.Reply.Contains(text)));
        }

        var total = await programs.CountAsync(cancellationToken);
        var descending = order == "desc";
        // Unscored programs go last either way (SQLite and PostgreSQL disagree on where NULL sorts); sequence breaks ties.
        var sorted = sort switch
        {
            "score" => descending
                ? programs.OrderBy(c => c.Score == null).ThenByDescending(c => c.Score).ThenBy(c => c.Sequence)
                : programs.OrderBy(c => c.Score == null).ThenBy(c => c.Score).ThenBy(c => c.Sequence),
            "generation" => descending ? programs.OrderByDescending(c => c.Generation).ThenBy(c => c.Sequence) : programs.OrderBy(c => c.Generation).ThenBy(c => c.Sequence),
            "island" => descending ? programs.OrderByDescending(c => c.Island).ThenBy(c => c.Sequence) : programs.OrderBy(c => c.Island).ThenBy(c => c.Sequence),
            "operator" => descending ? programs.OrderByDescending(c => c.Operator).ThenBy(c => c.Sequence) : programs.OrderBy(c => c.Operator).ThenBy(c => c.Sequence),
            "model" => descending ? programs.OrderBy(c => c.Model == null).ThenByDescending(c => c.Model).ThenBy(c => c.Sequence) : programs.OrderBy(c => c.Model == null).ThenBy(c => c.Model).ThenBy(c => c.Sequence),
            "outcome" => descending ? programs.OrderBy(c => c.Outcome == null).ThenByDescending(c => c.Outcome).ThenBy(c => c.Sequence) : programs.OrderBy(c => c.Outcome == null).ThenBy(c => c.Outcome).ThenBy(c => c.Sequence),
            _ => descending ? programs.OrderByDescending(c => c.Sequence) : programs.OrderBy(c => c.Sequence),
        };
        var items = await sorted.Skip(offset).Take(pageSize).Select(ProgramSummary.Projection).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Paged<ProgramSummary>(items, total, page, pageSize));
    }
}

/// <summary>Filters, sorting and paging of the program table; every filter is optional and they combine with "and".</summary>
internal sealed class ProgramSearch
{
    /// <summary>score, sequence (default), generation, island, operator, model or outcome.</summary>
    [FromQuery(Name = "sort")]
    public string? Sort { get; init; }

    /// <summary>asc or desc; by default desc for score, asc otherwise.</summary>
    [FromQuery(Name = "order")]
    public string? Order { get; init; }

    [FromQuery(Name = "island")]
    public string? Island { get; init; }

    [FromQuery(Name = "generation")]
    public string? Generation { get; init; }

    [FromQuery(Name = "correct")]
    public string? Correct { get; init; }

    [FromQuery(Name = "operator")]
    public string? Operator { get; init; }

    [FromQuery(Name = "model")]
    public string? Model { get; init; }

    [FromQuery(Name = "outcome")]
    public string? Outcome { get; init; }

    /// <summary>Text the source or the model's reply contains (case-sensitive).</summary>
    [FromQuery(Name = "q")]
    public string? Text { get; init; }

    [FromQuery(Name = "page")]
    public string? Page { get; init; }

    [FromQuery(Name = "pageSize")]
    public string? PageSize { get; init; }
}
