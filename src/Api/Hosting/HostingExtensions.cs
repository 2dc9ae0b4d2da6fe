using System.Text.Json.Serialization;
using EvoCode.Api.Contracts;
using EvoCode.Api.Examples;
using EvoCode.Api.Hosting.Health;
using EvoCode.Api.Security;
using EvoCode.Api.Validation;
using EvoCode.Evolver.Engine;
using EvoCode.Evolver.Llm;
using EvoCode.Sandbox;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;
using ApiKeyOptions = EvoCode.Api.Security.ApiKeyOptions;

using EvoCode.Api.Hosting.Warmup;

namespace EvoCode.Api.Hosting;

/// <summary>The server's composition root, so Program.cs stays a table of contents.</summary>
internal static class HostingExtensions
{
    public static WebApplicationBuilder AddEvoCodeServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddExceptionHandler<SandboxUnavailableExceptionHandler>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddEvoCodeSandbox(builder.Configuration);
        builder.Services.AddSingleton<ICodeCheck, SandboxCodeCheck>();
        builder.Services.AddEvoCodeEvolver(builder.Configuration);

        builder.Services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<ApiKeyOptions>().BindConfiguration(ApiKeyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<ExampleOptions>().BindConfiguration(ExampleOptions.SectionName);
        builder.Services.AddSingleton<ExampleShelf>();
        builder.Services.AddSingleton<ProblemReader>();
        builder.Services.AddSingleton<WarmupStatus>();
        builder.Services.AddHostedService<ServerWarmup>();

        // Malformed bodies throw, so BadRequestExceptionHandler can name the field in every environment.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.Configure<JsonOptions>(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddSingleton<IConfigureOptions<KestrelServerOptions>, KestrelLimits>();
        builder.Services.AddOpenApi(o => o.AddEvoCodeContract());
        builder.AddEvoCodeEdge();
        builder.Services.AddEvoCodeHealthChecks();
        builder.AddEvoCodeTelemetry();
        return builder;
    }

    public static WebApplication UseEvoCodePipeline(this WebApplication app)
    {
        app.UseEvoCodeTelemetry();
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        // The dashboard: static files from wwwroot, served by EvoCode itself (no CDN).
        app.UseDefaultFiles();
        app.UseStaticFiles();

        // The reference: generated from the endpoints; Scalar serves its own assets, so it works offline.
        app.MapOpenApi();
        app.MapScalarApiReference(o =>
        {
            o.Title = "EvoCode API";
            o.DefaultFonts = false; // the default fonts come from a CDN
        });
        return app;
    }

    private sealed class KestrelLimits(IOptions<ApiOptions> api) : IConfigureOptions<KestrelServerOptions>
    {
        public void Configure(KestrelServerOptions options) => options.Limits.MaxRequestBodySize = api.Value.MaxRequestBodyBytes;
    }
}
