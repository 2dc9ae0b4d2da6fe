using EvoCode.Api.Contracts;
using EvoCode.Api.Diffs;
using EvoCode.Api.Security;
using EvoCode.Evolver.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Api.Endpoints;

/// <summary>Programs (candidates) of a run: pages of summaries, one program in full, its ancestors.</summary>
internal static class ProgramEndpoints
{
    private const int MaxPageSize = 500;

    public static IEndpointRouteBuilder MapProgramEndpoints(this IEndpointRouteBuilder app)
    {
        var runs = app.MapGroup("/api/runs").WithTags("Programs").AddEndpointFilter<ApiKeyFilter>();
        runs.MapGet("/{id:guid}/programs", ListPrograms).WithName("ListPrograms").WithSummary("A page of a run's programs, sorted and filtered");
        var programs = app.MapGroup("/api/programs").WithTags("Programs").AddEndpointFilter<ApiKeyFilter>();
        programs.MapGet("/{id:guid}", GetProgram).WithName("GetProgram").WithSummary("One program: code, diff to its parent, metrics, artifacts, prompt and reply");
        programs.MapGet("/{id:guid}/ancestors", GetAncestors).WithName("GetAncestors").WithSummary("The program and its first-parent ancestors back to the seed");
        return app;
    }

    public static async Task<Results<Ok<ProgramPage>, ProblemHttpResult, ValidationProblem>> ListPrograms(
        Guid id,
        [AsParameters] ProgramQuery query,
        [AsParameters] ApiServices services,
        CancellationToken cancellationToken)
    {
        var errors = new Validation.FieldErrors();
        var sort = query.Sort ?? "sequence";
        var order = query.Order ?? (sort == "score" ? "desc" : "asc");
        if (sort is not ("score" or "sequence"))
        {
            errors.Add("sort", "Must be score or sequence.");
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

        if (query.Correct is { } correct)
        {
            programs = programs.Where(c => c.Correct == correct);
        }

        if (!string.IsNullOrEmpty(query.Operator))
        {
            programs = programs.Where(c => c.Operator == query.Operator);
        }

        var total = await programs.CountAsync(cancellationToken);

        // Unscored programs go last either way (SQLite and PostgreSQL disagree on where NULL sorts).
        var sorted = (sort, order) switch
        {
            ("score", "asc") => programs.OrderBy(c => c.Score == null).ThenBy(c => c.Score).ThenBy(c => c.Sequence),
            ("score", _) => programs.OrderBy(c => c.Score == null).ThenByDescending(c => c.Score).ThenBy(c => c.Sequence),
            (_, "desc") => programs.OrderByDescending(c => c.Sequence),
            _ => programs.OrderBy(c => c.Sequence),
        };
        var items = await sorted.Skip((page - 1) * pageSize).Take(pageSize).Select(ProgramSummary.Projection).ToListAsync(cancellationToken);
        return TypedResults.Ok(new ProgramPage(items, total, page, pageSize));
    }

    public static async Task<Results<Ok<ProgramDetail>, ProblemHttpResult>> GetProgram(Guid id, [AsParameters] ApiServices services, CancellationToken cancellationToken)
    {
        await using var db = await services.Contexts.CreateDbContextAsync(cancellationToken);
        var program = await db.Candidates.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (program is null)
        {
            return NotFoundProblem.Of("program", id);
        }

        var parentIds = await db.CandidateParents.AsNoTracking()
            .Where(p => p.CandidateId == id)
            .OrderBy(p => p.Position)
            .Select(p => p.ParentId)
            .ToListAsync(cancellationToken);
        if (parentIds.Count == 0 && program.ParentId is { } first)
        {
            parentIds.Add(first);
        }

        string? diff = null;
        if (program.ParentId is { } parentId)
        {
            var parentSource = await db.Candidates.AsNoTracking().Where(c => c.Id == parentId).Select(c => c.Source).FirstOrDefaultAsync(cancellationToken);
            if (parentSource is not null)
            {
                diff = UnifiedDiff.Create(parentSource, program.Source);
            }
        }

        var children = await db.CandidateParents.AsNoTracking()
            .Where(p => p.ParentId == id)
            .Join(db.Candidates, p => p.CandidateId, c => c.Id, (p, c) => c)
            .OrderBy(c => c.Sequence)
            .Select(ProgramSummary.Projection)
            .ToListAsync(cancellationToken);

        var language = await db.Runs.AsNoTracking().Where(r => r.Id == program.RunId).Select(r => r.Problem!.Language).FirstAsync(cancellationToken);
        return TypedResults.Ok(new ProgramDetail(
            ProgramSummary.From(program),
            program.Source,
            language,
            parentIds,
            diff,
            program.Metrics,
            program.Features,
            program.Artifacts,
            program.Prompt,
            program.Reply,
            program.InputTokens,
            program.OutputTokens,
            program.Cost,
            program.Error,
            program.Timings,
            [.. children.DistinctBy(c => c.Id)]));
    }

    public static async Task<Results<Ok<List<ProgramSummary>>, ProblemHttpResult>> GetAncestors(Guid id, [AsParameters] ApiServices services, CancellationToken cancellationToken)
    {
        await using var db = await services.Contexts.CreateDbContextAsync(cancellationToken);
        var runId = await db.Candidates.AsNoTracking().Where(c => c.Id == id).Select(c => (Guid?)c.RunId).FirstOrDefaultAsync(cancellationToken);
        if (runId is null)
        {
            return NotFoundProblem.Of("program", id);
        }

        // One query for the run's edges, then the walk in memory: a chain can be thousands of generations long.
        var parents = await db.Candidates.AsNoTracking()
            .Where(c => c.RunId == runId)
            .Select(c => new { c.Id, c.ParentId })
            .ToDictionaryAsync(c => c.Id, c => c.ParentId, cancellationToken);
        var chain = new List<Guid>();
        var seen = new HashSet<Guid>();
        for (Guid? current = id; current is { } c && seen.Add(c) && parents.ContainsKey(c); current = parents[c])
        {
            chain.Add(c);
        }

        var summaries = new Dictionary<Guid, ProgramSummary>();
        foreach (var chunk in chain.Chunk(1000))
        {
            var rows = await db.Candidates.AsNoTracking().Where(c => chunk.Contains(c.Id)).Select(ProgramSummary.Projection).ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                summaries[row.Id] = row;
            }
        }

        return TypedResults.Ok(chain.Select(c => summaries[c]).ToList());
    }
}

/// <summary>Sorting, filters and paging of a run's programs.</summary>
internal sealed class ProgramQuery
{
    /// <summary>score or sequence (default).</summary>
    public string? Sort { get; init; }

    /// <summary>asc or desc; by default desc for score, asc for sequence.</summary>
    public string? Order { get; init; }

    public int? Island { get; init; }

    public bool? Correct { get; init; }

    public string? Operator { get; init; }

    public int? Page { get; init; }

    public int? PageSize { get; init; }
}
