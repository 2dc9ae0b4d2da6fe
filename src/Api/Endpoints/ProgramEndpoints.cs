using EvoCode.Api.Contracts;
using EvoCode.Api.Diffs;
using EvoCode.Api.Validation;
using EvoCode.Evolver.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Api.Endpoints;

/// <summary>Programs (candidates) of a run: pages of summaries, one program in full, its ancestors.</summary>
internal static class ProgramEndpoints
{
    public static IEndpointRouteBuilder MapProgramEndpoints(this IEndpointRouteBuilder app)
    {
        var runs = app.MapGroup("/api/runs").WithTags("Programs").WithHead();
        runs.MapGet("/{id:guid}/programs", ListPrograms).WithName("ListPrograms")
            .WithSummary("A page of a run's programs, filtered by any column and by text in the source or reply, sorted by any column");
        var programs = app.MapGroup("/api/programs").WithTags("Programs").WithHead();
        programs.MapGet("/{id:guid}", GetProgram).WithName("GetProgram").WithSummary("One program: code, diff to its parent, metrics, artifacts, and every turn of the conversation that made it");
        programs.MapGet("/{id:guid}/ancestors", GetAncestors).WithName("GetAncestors").WithSummary("The program and its first-parent ancestors back to the seed");
        return app;
    }

    public static async Task<Results<Ok<Paged<ProgramListItem>>, ProblemHttpResult, ValidationProblem>> ListPrograms(
        Guid id,
        [AsParameters] ProgramQuery query,
        [AsParameters] ApiServices services,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (query.Read(errors) is not { } filter)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The query is not valid.");
        }

        await using var db = await services.Contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.Runs.AnyAsync(r => r.Id == id, cancellationToken))
        {
            return NotFoundProblem.Of("run", id);
        }

        var programs = filter.Where(db.Candidates.AsNoTracking().Where(c => c.RunId == id));
        var total = await programs.CountAsync(cancellationToken);
        var paging = filter.Paging;
        var items = await filter.OrderBy(programs).Skip(paging.Offset).Take(paging.PageSize).Select(ProgramSummary.Projection).ToListAsync(cancellationToken);
        Dictionary<Guid, string> sources = [];
        if (filter.IncludeSource)
        {
            // A second query by id: the page's code in one round trip, instead of one call per program.
            var ids = items.Select(i => i.Id).ToList();
            // Projected first: ToDictionaryAsync's selectors run after materializing, which would load every column (prompt, reply, artifacts).
            sources = await db.Candidates.AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.Source })
                .ToDictionaryAsync(c => c.Id, c => c.Source, cancellationToken);
        }

        return TypedResults.Ok(new Paged<ProgramListItem>(
            [.. items.Select(i => new ProgramListItem(i, sources.GetValueOrDefault(i.Id)))], total, paging.Page, paging.PageSize));
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
        var conversation = await db.ModelCalls.AsNoTracking()
            .Where(c => c.CandidateId == id)
            .OrderBy(c => c.Id)
            .Select(c => new ConversationTurn(c.Id, c.Model, c.Operator, c.Attempt, c.Outcome, c.EditOutcome, c.Prompt, c.Reply, c.Error, c.InputTokens, c.OutputTokens, c.Cost, c.UsageEstimated, c.LatencyMs, c.StartedAt))
            .ToListAsync(cancellationToken);
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
            [.. children.DistinctBy(c => c.Id)],
            conversation));
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
