using EvoCode.Api.Validation;
using EvoCode.Evolver.Domain;
using Microsoft.AspNetCore.Mvc;

namespace EvoCode.Api.Endpoints;

/// <summary>
/// Filters, sorting and paging of a run's programs (the API's list and the dashboard's program table), read as
/// text so a bad value is a field error. Every filter is optional and they combine with "and". Text matching is
/// case-sensitive on both stores (SQLite instr, PostgreSQL strpos), so the two agree.
/// </summary>
internal sealed class ProgramQuery
{
    private const int MaxTextLength = 200;
    private static readonly string[] s_sorts = ["score", "sequence", "generation", "island", "operator", "model", "outcome"];

    /// <summary>score, sequence (default), generation, island, operator, model or outcome.</summary>
    [FromQuery(Name = "sort")]
    public string? Sort { get; init; }

    /// <summary>asc or desc; by default desc for score, asc otherwise.</summary>
    [FromQuery(Name = "order")]
    public string? Order { get; init; }

    /// <summary>Only programs of this island (0-based).</summary>
    [FromQuery(Name = "island")]
    public string? Island { get; init; }

    /// <summary>Only programs of this generation (the seed is 0).</summary>
    [FromQuery(Name = "generation")]
    public string? Generation { get; init; }

    /// <summary>true or false: only correct (or incorrect) programs.</summary>
    [FromQuery(Name = "correct")]
    public string? Correct { get; init; }

    /// <summary>Only programs of this operator (exact name).</summary>
    [FromQuery(Name = "operator")]
    public string? Operator { get; init; }

    /// <summary>Only programs this model wrote (exact name).</summary>
    [FromQuery(Name = "model")]
    public string? Model { get; init; }

    /// <summary>Only programs with this evaluation outcome (Ok, CompileError, TimeLimit, ...).</summary>
    [FromQuery(Name = "outcome")]
    public string? Outcome { get; init; }

    /// <summary>Text the source or the model's reply (its note on the change) contains (case-sensitive).</summary>
    [FromQuery(Name = "q")]
    public string? Text { get; init; }

    /// <summary>source: each item carries its program's code.</summary>
    [FromQuery(Name = "include")]
    public string? Include { get; init; }

    /// <summary>1-based page number.</summary>
    [FromQuery(Name = "page")]
    public string? Page { get; init; }

    /// <summary>1..500, default 50.</summary>
    [FromQuery(Name = "pageSize")]
    public string? PageSize { get; init; }

    /// <summary>The query's values checked at the edge; null with <paramref name="errors"/> filled when one is not valid.</summary>
    public ProgramFilter? Read(FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var sort = Sort ?? "sequence";
        var order = Order ?? (sort == "score" ? "desc" : "asc");
        if (!s_sorts.Contains(sort))
        {
            errors.Add("sort", $"Must be one of {string.Join(", ", s_sorts)}.");
        }

        if (order is not ("asc" or "desc"))
        {
            errors.Add("order", "Must be asc or desc.");
        }

        if (Include is not (null or "source"))
        {
            errors.Add("include", "Must be source (or absent).");
        }

        var filter = new ProgramFilter(
            sort,
            order == "desc",
            QueryValues.Int(Island, "island", 0, 1000, errors),
            QueryValues.Int(Generation, "generation", 0, int.MaxValue, errors),
            QueryValues.Bool(Correct, "correct", errors),
            QueryValues.Text(Operator, "operator", 64, errors),
            QueryValues.Text(Model, "model", 128, errors),
            QueryValues.Text(Outcome, "outcome", 32, errors),
            QueryValues.Text(Text, "q", MaxTextLength, errors),
            Include == "source",
            QueryValues.Page(Page, PageSize, errors));
        return errors.Any ? null : filter;
    }
}

/// <summary>A valid <see cref="ProgramQuery"/>: what to keep, in which order, which page.</summary>
internal sealed record ProgramFilter(
    string Sort, bool Descending, int? Island, int? Generation, bool? Correct, string? Operator, string? Model, string? Outcome, string? Text,
    bool IncludeSource, (int Page, int PageSize, int Offset) Paging)
{
    public IQueryable<Candidate> Where(IQueryable<Candidate> programs)
    {
        if (Island is { } island)
        {
            programs = programs.Where(c => c.Island == island);
        }

        if (Generation is { } generation)
        {
            programs = programs.Where(c => c.Generation == generation);
        }

        if (Correct is { } correct)
        {
            programs = programs.Where(c => c.Correct == correct);
        }

        if (!string.IsNullOrEmpty(Operator))
        {
            programs = programs.Where(c => c.Operator == Operator);
        }

        if (!string.IsNullOrEmpty(Model))
        {
            programs = programs.Where(c => c.Model == Model);
        }

        if (!string.IsNullOrEmpty(Outcome))
        {
            programs = programs.Where(c => c.Outcome == Outcome);
        }

        if (!string.IsNullOrEmpty(Text))
        {
            programs = programs.Where(c => c.Source.Contains(Text) || (c.Reply != null && c.Reply.Contains(Text)));
        }

        return programs;
    }

    /// <summary>Sorted by the chosen column; sequence breaks ties; unscored (or unset) values go last either way, since SQLite and PostgreSQL disagree on where NULL sorts.</summary>
    public IQueryable<Candidate> OrderBy(IQueryable<Candidate> programs) => (Sort, Descending) switch
    {
        // Correct programs all have a score: without the NULL term the store walks its (run, score) index.
        ("score", true) when Correct == true => programs.OrderByDescending(c => c.Score).ThenBy(c => c.Sequence),
        ("score", true) => programs.OrderBy(c => c.Score == null).ThenByDescending(c => c.Score).ThenBy(c => c.Sequence),
        ("score", false) => programs.OrderBy(c => c.Score == null).ThenBy(c => c.Score).ThenBy(c => c.Sequence),
        ("generation", true) => programs.OrderByDescending(c => c.Generation).ThenBy(c => c.Sequence),
        ("generation", false) => programs.OrderBy(c => c.Generation).ThenBy(c => c.Sequence),
        ("island", true) => programs.OrderByDescending(c => c.Island).ThenBy(c => c.Sequence),
        ("island", false) => programs.OrderBy(c => c.Island).ThenBy(c => c.Sequence),
        ("operator", true) => programs.OrderByDescending(c => c.Operator).ThenBy(c => c.Sequence),
        ("operator", false) => programs.OrderBy(c => c.Operator).ThenBy(c => c.Sequence),
        ("model", true) => programs.OrderBy(c => c.Model == null).ThenByDescending(c => c.Model).ThenBy(c => c.Sequence),
        ("model", false) => programs.OrderBy(c => c.Model == null).ThenBy(c => c.Model).ThenBy(c => c.Sequence),
        ("outcome", true) => programs.OrderBy(c => c.Outcome == null).ThenByDescending(c => c.Outcome).ThenBy(c => c.Sequence),
        ("outcome", false) => programs.OrderBy(c => c.Outcome == null).ThenBy(c => c.Outcome).ThenBy(c => c.Sequence),
        (_, true) => programs.OrderByDescending(c => c.Sequence),
        _ => programs.OrderBy(c => c.Sequence),
    };
}
