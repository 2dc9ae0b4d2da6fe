using EvoCode.Evolver.Telemetry;
using EvoCode.Sandbox;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace EvoCode.Api.Hosting;

/// <summary>
/// OpenTelemetry for the server: EvoCode's own spans and metrics (<see cref="EvoCodeTelemetry"/>, the model calls
/// included), ASP.NET Core, HttpClient and Npgsql. Metrics are always scrapeable at <c>/metrics</c> (Prometheus);
/// traces, metrics and logs go out by OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the standard OTEL_*
/// variables configure the exporter and the service name).
/// </summary>
internal static class TelemetryExtensions
{
    private const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static WebApplicationBuilder AddEvoCodeTelemetry(this WebApplicationBuilder builder)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("evocode", serviceVersion: typeof(TelemetryExtensions).Assembly.GetName().Version?.ToString()))
            .WithTracing(t => t
                .AddSource(EvoCodeTelemetry.Name)
                .AddAspNetCoreInstrumentation(o => o.Filter = c => !IsOperatorEndpoint(c.Request.Path))
                .AddHttpClientInstrumentation()
                .AddNpgsql())
            .WithMetrics(m => m
                .AddMeter(EvoCodeTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddPrometheusExporter());

        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]))
        {
            telemetry.WithLogging().UseOtlpExporter();
        }

        return builder;
    }

    public static WebApplication UseEvoCodeTelemetry(this WebApplication app)
    {
        EvoCodeTelemetry.ObserveSandbox(app.Services.GetRequiredService<ISandboxStatus>());
        app.MapPrometheusScrapingEndpoint().WithTags("Health");
        return app;
    }

    // Scrapes and probes every few seconds would drown the traces that matter.
    private static bool IsOperatorEndpoint(PathString path) =>
        path.StartsWithSegments("/metrics") || path.StartsWithSegments("/health") || path.StartsWithSegments("/healthz");
}
