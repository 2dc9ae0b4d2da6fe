using EvoCode.Evolver.Engine;
using EvoCode.Evolver.Llm;
using EvoCode.Sandbox;

namespace EvoCode.Api.Hosting;

/// <summary>The server's composition root, so Program.cs stays a table of contents.</summary>
internal static class HostingExtensions
{
    public static WebApplicationBuilder AddEvoCodeServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddEvoCodeSandbox(builder.Configuration);
        builder.Services.AddSingleton<ICodeCheck, SandboxCodeCheck>();
        builder.Services.AddEvoCodeEvolver(builder.Configuration);
        return builder;
    }

    public static WebApplication UseEvoCodePipeline(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        // The dashboard: static files from wwwroot, served by EvoCode itself (no CDN).
        app.UseDefaultFiles();
        app.UseStaticFiles();
        return app;
    }
}
