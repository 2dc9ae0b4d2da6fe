using EvoCode.Evolver.Persistence;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace EvoCode.Api.Hosting.Health;

/// <summary>
/// Health the ASP.NET Core way: <c>/health/live</c> runs no check (the process answers), <c>/health/ready</c>
/// runs every check tagged <see cref="Ready"/>: the database answers, its schema is current, the sandbox has a
/// worker, the examples loaded, the warm-up (degraded, so still ready, until it is done). Both answer with <see cref="HealthJson"/>; unhealthy is a 503.
/// </summary>
internal static class HealthChecksExtensions
{
    public const string Ready = "ready";

    public static IServiceCollection AddEvoCodeHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddDbContextCheck<EvoCodeDbContext>("database", tags: [Ready])
            .AddCheck<MigrationsHealthCheck>("migrations", tags: [Ready])
            .AddCheck<SandboxHealthCheck>("sandbox", tags: [Ready])
            .AddCheck<ExamplesHealthCheck>("examples", tags: [Ready])
            .AddCheck<WarmupHealthCheck>("warmup", tags: [Ready]);
        return services;
    }

    public static IEndpointRouteBuilder MapEvoCodeHealthChecks(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthJson.WriteAsync })
            .WithTags("Health");
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = HealthJson.WriteAsync })
            .WithTags("Health");
        return app;
    }
}
