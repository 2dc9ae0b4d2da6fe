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

    public static async Task<Results<Ok<ProgramPage>, ProblemHttpResult, ValidationProblem>> Search(
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

        var page = query.Page ?? 1;
        var pageSize = query.PageSize ?? 50;
        if (page < 1)
        {
            errors.Add("page", "Must be 1 or more.");
        }

        if (pageSize is < 1 or > MaxPageSize)
        {
            errors.Add("pageSize", $"Must be between 1 and {MaxPageSize}.");
        }

        if (query.Text is { Length: > MaxTextLength })
        {
            errors.Add("text", $"At most {MaxTextLength} characters.");
        }

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
        if (query.Island is { } island)
        {
            programs = programs.Where(c => c.Island == island);
        }

        if (query.Generation is { } generation)
        {
            programs = programs.Where(c => c.Generation == generation);
        }

        if (query.Correct is { } correct)
        {
            programs = programs.Where(c => c.Correct == correct);
        }

        if (!string.IsNullOrEmpty(query.Operator))
        {
            programs = programs.Where(c => c.Operator == query.Operator);
        }

        if (!string.IsNullOrEmpty(query.Model))
        {
            programs = programs.Where(c => c.Model == query.Model);
        }

        if (!string.IsNullOrEmpty(query.Outcome))
        {
            programs = programs.Where(c => c.Outcome == query.Outcome);
        }

        if (!string.IsNullOrEmpty(query.Text))
        {
            var text = query.Text;
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
        var items = await sorted.Skip((page - 1) * pageSize).Take(pageSize).Select(ProgramSummary.Projection).ToListAsync(cancellationToken);
        return TypedResults.Ok(new ProgramPage(items, total, page, pageSize));
    }
}

/// <summary>Filters, sorting and paging of the program table; every filter is optional and they combine with "and".</summary>
internal sealed class ProgramSearch
{
    /// <summary>score, sequence (default), generation, island, operator, model or outcome.</summary>
    public string? Sort { get; init; }

    /// <summary>asc or desc; by default desc for score, asc otherwise.</summary>
    public string? Order { get; init; }

    public int? Island { get; init; }

    public int? Generation { get; init; }

    public bool? Correct { get; init; }

    public string? Operator { get; init; }

    public string? Model { get; init; }

    public string? Outcome { get; init; }

    /// <summary>Text the source or the model's reply contains (case-sensitive).</summary>
    [FromQuery(Name = "q")]
    public string? Text { get; init; }

    public int? Page { get; init; }

    public int? PageSize { get; init; }
}
