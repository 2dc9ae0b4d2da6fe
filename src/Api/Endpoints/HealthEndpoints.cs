using System.Reflection;
using EvoCode.Api.Hosting.Health;
using EvoCode.Evolver.Persistence;
using EvoCode.Sandbox;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EvoCode.Api.Endpoints;

/// <summary>
/// <c>/healthz</c>: the facts an operator asks first (version, store, sandbox), kept for compatibility; the
/// probes are <c>/health/live</c> and <c>/health/ready</c> (see <see cref="HealthChecksExtensions"/>).
/// </summary>
internal static class HealthEndpoints
{
    private static readonly string s_version =
        typeof(HealthEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", GetHealth)
            .WithName("GetHealth")
            .WithSummary("Version, store and sandbox isolation of this server")
            .WithTags("Health");
        app.MapEvoCodeHealthChecks();
        return app;
    }

    public static Ok<HealthReport> GetHealth(StoreDescription store, ISandboxStatus sandbox) =>
        TypedResults.Ok(new HealthReport(
            "ok",
            s_version,
            new StoreReport(store.Provider.ToString().ToLowerInvariant(), store.Location),
            new SandboxReport(sandbox.IsolationLevel, sandbox.Measures, sandbox.Warnings, sandbox.Workers, sandbox.IdleWorkers, sandbox.LiveWorkers, sandbox.StartFailure)));
}

internal sealed record HealthReport(string Status, string Version, StoreReport Store, SandboxReport Sandbox);

internal sealed record SandboxReport(string Isolation, IReadOnlyList<string> Measures, IReadOnlyList<string> Warnings, int Workers, int IdleWorkers, int LiveWorkers, string? StartFailure);

internal sealed record StoreReport(string Provider, string Location);
