using EvoCode.Api.Endpoints;
using EvoCode.Api.Hosting;
using EvoCode.Api.Security;

// `hash-key KEY` prints the hash to put in ApiKeys:Hashes, without starting the server.
if (args is ["hash-key", var key])
{
    Console.WriteLine(ApiKeyHash.Compute(key));
    return;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddEvoCodeServices();

var app = builder.Build();
app.UseEvoCodePipeline();
app.MapHealthEndpoints();
app.MapCatalogEndpoints();
app.MapProblemEndpoints();
app.MapRunEndpoints();
app.MapProgramEndpoints();
app.MapRunInsightEndpoints();
app.MapEventEndpoints();
app.MapModelCallEndpoints();
app.Run();

/// <summary>Entry point, public so integration tests can host it with WebApplicationFactory.</summary>
public partial class Program;
