using EvoCode.Api.Endpoints;
using EvoCode.Api.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddEvoCodeServices();

var app = builder.Build();
app.UseEvoCodePipeline();
app.MapHealthEndpoints();
app.Run();

/// <summary>Entry point, public so integration tests can host it with WebApplicationFactory.</summary>
public partial class Program;
