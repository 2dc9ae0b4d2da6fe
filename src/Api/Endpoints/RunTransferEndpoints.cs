using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using EvoCode.Api.Validation;
using EvoCode.Evolver.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Api.Endpoints;

/// <summary>
/// A run as JSON Lines, and back: the first line is the run with its problem, then one line per program (source,
/// metrics, features, parents), archive cell, model call and event. An import recreates the run under new ids, so
/// a file can be imported into the server it came from.
/// </summary>
internal static class RunTransferEndpoints
{
    public const string MediaType = "application/x-ndjson";

    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static IEndpointRouteBuilder MapRunTransferEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/runs").WithTags("Runs").WithHead();
        api.MapGet("/{id:guid}/export", ExportRun).WithName("ExportRun").WithSummary("The run as JSON Lines: run and problem, programs, archive, model calls, events")
            .Produces(StatusCodes.Status200OK, contentType: MediaType);
        api.MapPost("/import", ImportRun).WithName("ImportRun").WithSummary("Recreate a run from its export (application/x-ndjson)")
            .Accepts<string>(MediaType)
            .WithMetadata(new ImportSizeLimit());
        return app;
    }

    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> ExportRun(Guid id, HttpContext http, [AsParameters] ApiServices services, CancellationToken cancellationToken)
    {
        await using var db = await services.Contexts.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().Include(r => r.Problem).FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (run?.Problem is null)
        {
            return NotFoundProblem.Of("run", id);
        }

        http.Response.ContentType = MediaType;
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"run-{id}.jsonl\"";
        if (HttpMethods.IsHead(http.Request.Method))
        {
            return TypedResults.Empty;
        }

        var problem = run.Problem;
        run.Problem = null;
        await WriteAsync(http, new ExportLine { Kind = "run", Run = run, Problem = problem }, cancellationToken);
        await foreach (var program in db.Candidates.AsNoTracking().Include(c => c.Parents).Where(c => c.RunId == id).OrderBy(c => c.Sequence).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            await WriteAsync(http, new ExportLine { Kind = "program", Program = program }, cancellationToken);
        }

        foreach (var cell in await db.ArchiveCells.AsNoTracking().Where(c => c.RunId == id).ToListAsync(cancellationToken))
        {
            await WriteAsync(http, new ExportLine { Kind = "cell", Cell = cell }, cancellationToken);
        }

        foreach (var member in await db.FrontMembers.AsNoTracking().Where(m => m.RunId == id).ToListAsync(cancellationToken))
        {
            await WriteAsync(http, new ExportLine { Kind = "front", Front = member }, cancellationToken);
        }

        foreach (var call in await db.ModelCalls.AsNoTracking().Where(c => c.RunId == id).OrderBy(c => c.Id).ToListAsync(cancellationToken))
        {
            await WriteAsync(http, new ExportLine { Kind = "call", Call = call }, cancellationToken);
        }

        foreach (var e in await db.RunEvents.AsNoTracking().Where(e => e.RunId == id).OrderBy(e => e.Id).ToListAsync(cancellationToken))
        {
            await WriteAsync(http, new ExportLine { Kind = "event", Event = e }, cancellationToken);
        }

        return TypedResults.Empty;
    }

    public static async Task<Results<Created<Contracts.RunDetail>, ValidationProblem>> ImportRun(HttpRequest request, [AsParameters] ApiServices services, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var lines = new List<ExportLine>();
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
        {
            var number = 0;
            while (await reader.ReadLineAsync(cancellationToken) is { } text)
            {
                number++;
                if (string.IsNullOrWhiteSpace(text))
                {
                    continue;
                }

                try
                {
                    lines.Add(JsonSerializer.Deserialize<ExportLine>(text, s_options) ?? throw new JsonException("null"));
                }
                catch (JsonException e)
                {
                    errors.Add($"line {number}", $"Not a line of a run export: {e.Message.Split(". ", 2)[0]}.");
                }
            }
        }

        TextRules.RefuseNul(lines, errors);
        var head = lines.FirstOrDefault();
        if (head is not { Kind: "run", Run: not null, Problem: not null })
        {
            errors.Add("body", "The first line must be the run with its problem (kind \"run\"), as GET /api/runs/{id}/export writes it.");
        }

        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The export cannot be imported.");
        }

        await using var db = await services.Contexts.CreateDbContextAsync(cancellationToken);
        var problem = await db.Problems.AsNoTracking().FirstOrDefaultAsync(p => p.Name == head!.Problem!.Name, cancellationToken);
        if (problem is null)
        {
            problem = head!.Problem!;
            problem.Id = Guid.NewGuid();
            db.Problems.Add(problem);
        }

        var run = head!.Run!;
        var ids = new Dictionary<Guid, Guid>();
        Guid Map(Guid old) => ids.TryGetValue(old, out var mapped) ? mapped : ids[old] = Guid.NewGuid();
        run.Id = Guid.NewGuid();
        run.ProblemId = problem.Id;
        run.BestCandidateId = run.BestCandidateId is { } best ? Map(best) : null;
        run.Owner = null;
        run.LeaseExpiresAt = null;
        if (run.Status is RunStatus.Pending or RunStatus.Running)
        {
            // An export taken mid-run resumes only when a user says so.
            run.Status = RunStatus.Paused;
        }

        db.Runs.Add(run);
        foreach (var line in lines.Skip(1))
        {
            switch (line)
            {
                case { Kind: "program", Program: { } program }:
                    program.Id = Map(program.Id);
                    program.RunId = run.Id;
                    program.ParentId = program.ParentId is { } parent ? Map(parent) : null;
                    program.Parents = [.. program.Parents.Select(p => new CandidateParent { CandidateId = program.Id, ParentId = Map(p.ParentId), Position = p.Position })];
                    db.Candidates.Add(program);
                    break;
                case { Kind: "cell", Cell: { } cell }:
                    cell.RunId = run.Id;
                    cell.EliteId = Map(cell.EliteId);
                    db.ArchiveCells.Add(cell);
                    break;
                case { Kind: "front", Front: { } member }:
                    member.RunId = run.Id;
                    member.CandidateId = Map(member.CandidateId);
                    db.FrontMembers.Add(member);
                    break;
                case { Kind: "call", Call: { } call }:
                    call.Id = 0;
                    call.RunId = run.Id;
                    call.CandidateId = call.CandidateId is { } candidate ? Map(candidate) : null;
                    db.ModelCalls.Add(call);
                    break;
                case { Kind: "event", Event: { } e }:
                    e.Id = 0;
                    e.RunId = run.Id;
                    db.RunEvents.Add(e);
                    break;
                default:
                    errors.Add("body", $"Unknown line kind '{line.Kind}'.");
                    break;
            }
        }

        var programIds = db.ChangeTracker.Entries<Candidate>().Select(c => c.Entity.Id).ToHashSet();
        if (ids.Values.Any(v => !programIds.Contains(v)))
        {
            errors.Add("body", "A program, cell or call refers to a program the export does not hold.");
        }

        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The export cannot be imported.");
        }

        // The charts' series, as the run counted its evaluations (an export does not carry it).
        db.RunSeries.AddRange(RunSeriesEntry.Rebuild(db.ChangeTracker.Entries<Candidate>().Select(c => c.Entity)));
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/runs/{run.Id}", Contracts.RunDetail.Of(run, problem.Name));
    }

    private static async Task WriteAsync(HttpContext http, ExportLine line, CancellationToken cancellationToken)
    {
        await JsonSerializer.SerializeAsync(http.Response.Body, line, s_options, cancellationToken);
        await http.Response.Body.WriteAsync("\n"u8.ToArray(), cancellationToken);
    }

    /// <summary>One line of an export; exactly one of the entity properties is set, as <see cref="Kind"/> says.</summary>
    internal sealed class ExportLine
    {
        public required string Kind { get; init; }

        public Run? Run { get; init; }

        public Problem? Problem { get; init; }

        public Candidate? Program { get; init; }

        public ArchiveCell? Cell { get; init; }

        /// <summary>A member of a cell's front (runs with several objectives, ADR-024).</summary>
        public FrontMember? Front { get; init; }

        public ModelCall? Call { get; init; }

        public RunEvent? Event { get; init; }
    }

    /// <summary>An export holds every program's code: larger than the request limit of other endpoints.</summary>
    private sealed class ImportSizeLimit : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => 512L * 1024 * 1024;
    }
}
