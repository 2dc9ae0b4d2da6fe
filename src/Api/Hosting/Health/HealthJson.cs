using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EvoCode.Api.Hosting.Health;

/// <summary>
/// The JSON body of the health endpoints: the overall status and one entry per check with its status, a
/// description and, for a failed check, the exception's type and message (never a connection string: the
/// checks below put none into their messages).
/// </summary>
internal static class HealthJson
{
    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var body = new HealthBody(
            Status(report.Status),
            report.TotalDuration.TotalMilliseconds,
            report.Entries.ToDictionary(
                e => e.Key,
                e => new HealthEntry(
                    Status(e.Value.Status),
                    e.Value.Description ?? (e.Value.Exception is { } x ? $"{x.GetType().Name}: {x.Message}" : null),
                    e.Value.Duration.TotalMilliseconds,
                    e.Value.Data.Count == 0 ? null : e.Value.Data)));
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, s_options), context.RequestAborted);
    }

    private static string Status(HealthStatus status) => status.ToString().ToLowerInvariant();

    private sealed record HealthBody(string Status, double DurationMs, IReadOnlyDictionary<string, HealthEntry> Checks);

    private sealed record HealthEntry(string Status, string? Description, double DurationMs, IReadOnlyDictionary<string, object>? Data);
}
