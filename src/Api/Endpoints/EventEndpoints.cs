using System.Text;
using System.Text.Json;
using EvoCode.Api.Validation;
using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Engine;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Api.Endpoints;

/// <summary>
/// A run's events as Server-Sent Events, read from the store in id order: a client that reconnects with
/// <c>Last-Event-ID</c> gets exactly the events after it. The stream ends once the run has finished and its final
/// status event is sent, so <c>curl -N</c> returns.
/// </summary>
internal static class EventEndpoints
{
    private const int BatchSize = 500;

    /// <summary>Longest wait between store reads when no wake-up comes (a wake-up can fire between a read and the wait).</summary>
    private static readonly TimeSpan s_poll = TimeSpan.FromSeconds(2);

    /// <summary>How long a finished run may lack its final status event before the stream ends anyway.</summary>
    private static readonly TimeSpan s_finalEventGrace = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapEventEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/runs").WithTags("Events").WithHead()
            .MapGet("/{id:guid}/events", StreamEvents)
            .WithName("StreamEvents")
            .WithSummary("Live events of a run (text/event-stream); Last-Event-ID or ?lastEventId= replays what came after it")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<IResult> StreamEvents(
        Guid id,
        [FromHeader(Name = "Last-Event-ID")] string? lastEventIdHeader,
        [FromQuery(Name = "lastEventId")] string? lastEventIdQuery,
        HttpContext context,
        RunEventHub hub,
        [AsParameters] ApiServices services,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var fromQuery = lastEventIdQuery is null ? 0 : QueryValues.Long(lastEventIdQuery, "lastEventId", 0, long.MaxValue, errors) ?? 0;
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The query is not valid.");
        }

        long last = long.TryParse(lastEventIdHeader, out var fromHeader) ? fromHeader : fromQuery;
        await using (var db = await services.Contexts.CreateDbContextAsync(cancellationToken))
        {
            if (!await db.Runs.AnyAsync(r => r.Id == id, cancellationToken))
            {
                return NotFoundProblem.Of("run", id);
            }
        }

        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return Results.Empty;
        }

        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.WriteAsync("retry: 2000\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);

        var heartbeat = TimeSpan.FromSeconds(services.Options.Value.HeartbeatSeconds);
        var lastWrite = services.Time.GetTimestamp();
        var finalStatusSent = false;
        long? finishedSince = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                List<RunEvent> batch;
                RunStatus status;
                await using (var db = await services.Contexts.CreateDbContextAsync(cancellationToken))
                {
                    // Status first: events stored after it are read below, so a finished run's last event is never skipped.
                    status = await db.Runs.Where(r => r.Id == id).Select(r => r.Status).FirstAsync(cancellationToken);
                    batch = await db.RunEvents.AsNoTracking()
                        .Where(e => e.RunId == id && e.Id > last)
                        .OrderBy(e => e.Id)
                        .Take(BatchSize)
                        .ToListAsync(cancellationToken);
                }

                foreach (var e in batch)
                {
                    await response.WriteAsync(Format(e), cancellationToken);
                    await response.Body.FlushAsync(cancellationToken);
                    last = e.Id;
                    finalStatusSent |= IsFinalStatus(e);
                }

                if (batch.Count > 0)
                {
                    lastWrite = services.Time.GetTimestamp();
                }

                if (batch.Count == BatchSize)
                {
                    continue;
                }

                if (status is RunStatus.Completed or RunStatus.Cancelled or RunStatus.Failed)
                {
                    finishedSince ??= services.Time.GetTimestamp();
                    if (finalStatusSent || services.Time.GetElapsedTime(finishedSince.Value) > s_finalEventGrace)
                    {
                        break;
                    }
                }

                await hub.WaitAsync(id, s_poll < heartbeat ? s_poll : heartbeat, cancellationToken);
                if (services.Time.GetElapsedTime(lastWrite) >= heartbeat)
                {
                    await response.WriteAsync(": heartbeat\n\n", cancellationToken);
                    await response.Body.FlushAsync(cancellationToken);
                    lastWrite = services.Time.GetTimestamp();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away: nothing to answer.
        }

        return Results.Empty;
    }

    private static string Format(RunEvent e)
    {
        var text = new StringBuilder();
        text.Append("id: ").Append(e.Id).Append('\n').Append("event: ").Append(e.Kind).Append('\n');
        foreach (var line in e.Data.Split('\n'))
        {
            text.Append("data: ").Append(line.TrimEnd('\r')).Append('\n');
        }

        return text.Append('\n').ToString();
    }

    private static bool IsFinalStatus(RunEvent e)
    {
        if (e.Kind is not (RunEventKinds.Status or RunEventKinds.Error))
        {
            return false;
        }

        try
        {
            using var data = JsonDocument.Parse(e.Data);
            return data.RootElement.ValueKind == JsonValueKind.Object
                && data.RootElement.TryGetProperty("status", out var status)
                && status.GetString() is nameof(RunStatus.Completed) or nameof(RunStatus.Cancelled) or nameof(RunStatus.Failed);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
