using EvoCode.Api.Endpoints;
using EvoCode.Api.Hosting;
using EvoCode.Api.Security;

// `hash-key KEY` prints the hash to put in ApiKeys:Hashes, without starting the server.
if (args is ["hash-key", var key])
{
    Console.WriteLine(ApiKeyHash.Compute(key));
    return 0;
}

// One anchor: settings, the dashboard (wwwroot), the examples and relative data paths are found beside the
// server's own files, whatever folder it is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddEvoCodeServices();

var app = builder.Build();
app.UseEvoCodePipeline();
app.UseEvoCodeEdge();
app.MapHealthEndpoints();
app.MapCatalogEndpoints();
app.MapProblemEndpoints();
app.MapRunEndpoints();
app.MapRunTransferEndpoints();
app.MapProgramEndpoints();
app.MapRunInsightEndpoints();
app.MapEventEndpoints();
app.MapModelCallEndpoints();
return app.RunOrExplain();

/// <summary>Entry point, public so integration tests can host it with WebApplicationFactory.</summary>
public partial class Program;
