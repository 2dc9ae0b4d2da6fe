using EvoCode.Evolver.Persistence;

namespace EvoCode.Api.Hosting;

/// <summary>The server's composition root, so Program.cs stays a table of contents.</summary>
internal static class HostingExtensions
{
    public static WebApplicationBuilder AddEvoCodeServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddEvoCodeStorage(builder.Configuration);
        return builder;
    }

    public static WebApplication UseEvoCodePipeline(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }
}
