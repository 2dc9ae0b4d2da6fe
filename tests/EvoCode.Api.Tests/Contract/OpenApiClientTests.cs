using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NSwag;
using NSwag.CodeGeneration.CSharp;

namespace EvoCode.Api.Tests.Contract;

/// <summary>
/// The OpenAPI document is the contract: a C# client generated from the served document with NSwag, compiled with
/// Roslyn, runs the README journey against the real server.
/// </summary>
public sealed class OpenApiClientTests
{
    [Fact]
    public async Task GeneratedClient_RunsTheReadmeJourney()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ApiServer.StartAsync(cancellationToken: ct);
        var json = await server.Http.GetStringAsync("/openapi/v1.json", ct);
        var document = await OpenApiDocument.FromJsonAsync(json, ct);

        var code = new CSharpClientGenerator(document, new CSharpClientGeneratorSettings
        {
            ClassName = "EvoCodeClient",
            CSharpGeneratorSettings = { Namespace = "Generated", JsonLibrary = NJsonSchema.CodeGeneration.CSharp.CSharpJsonLibrary.SystemTextJson },
            UseBaseUrl = false,
            GenerateExceptionClasses = true,
        }).GenerateFile();
        var assembly = Compile(code);
        var clientType = assembly.GetType("Generated.EvoCodeClient", throwOnError: true)!;
        dynamic client = Activator.CreateInstance(clientType, server.Http)!;

        // The README journey: an example problem, a run with settings, its status until it ends, the best program.
        dynamic problem = await client.CreateExampleProblemAsync("circle-packing-26");
        dynamic request = Activator.CreateInstance(assembly.GetType("Generated.StartRunRequest", throwOnError: true)!)!;
        request.ProblemId = (Guid)problem.Id;
        request.Name = "journey";
        dynamic settings = Activator.CreateInstance(assembly.GetType("Generated.RunSettings", throwOnError: true)!)!;
        settings.MaxEvaluations = 4;
        settings.Islands = 1;
        request.Settings = settings;
        dynamic run = await client.StartRunAsync(request);
        Guid runId = run.Id;
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while ((string)run.Status.ToString() is not ("Completed" or "Failed" or "Cancelled") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500, ct);
            run = await client.GetRunAsync(runId);
        }

        dynamic best = await client.GetProgramAsync((Guid)run.BestProgramId);
        dynamic page = await client.ListProgramsAsync(runId, "score", "desc", null, null, null, null, null, null, null, "source", "1", "2");
        dynamic runs = await client.ListRunsAsync(null, null, null, null);

        // What the document itself says: optional request fields, described settings, error responses, lowercase query names.
        using var raw = System.Text.Json.JsonDocument.Parse(json);
        var schemas = raw.RootElement.GetProperty("components").GetProperty("schemas");
        var operations = raw.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => (Path: p.Name, Method: o.Name, Operation: o.Value)))
            .Where(o => o.Path.StartsWith("/api/", StringComparison.Ordinal))
            .ToList();
        Assert.False(schemas.GetProperty("CreateProblemRequest").TryGetProperty("required", out _));
        Assert.False(schemas.GetProperty("StartRunRequest").TryGetProperty("required", out _));
        var settingsSchema = schemas.GetProperty("StartRunRequest").GetProperty("properties").GetProperty("settings");
        if (settingsSchema.TryGetProperty("$ref", out var reference))
        {
            settingsSchema = schemas.GetProperty(reference.GetString()!.Split('/')[^1]);
        }

        Assert.True(settingsSchema.GetProperty("properties").TryGetProperty("maxEvaluations", out _));
        Assert.DoesNotContain(operations, o => o.Method == "head");
        Assert.All(operations, o => Assert.True(o.Operation.GetProperty("responses").TryGetProperty("429", out _), $"{o.Method} {o.Path} lacks 429"));
        Assert.All(operations, o => Assert.True(o.Operation.GetProperty("responses").TryGetProperty("401", out _), $"{o.Method} {o.Path} lacks 401"));
        var queryNames = operations.SelectMany(o => o.Operation.TryGetProperty("parameters", out var ps) ? ps.EnumerateArray() : Enumerable.Empty<System.Text.Json.JsonElement>())
            .Where(p => p.GetProperty("in").GetString() == "query").Select(p => p.GetProperty("name").GetString()!).Distinct().Order().ToList();
        Assert.Equal(["correct", "generation", "include", "island", "lastEventId", "metric", "model", "operator", "order", "outcome", "page", "pageSize", "points", "problemId", "q", "sort", "status", "view"], queryNames);

        Assert.Equal("Completed", (string)run.Status.ToString());
        Assert.Equal(4L, (long)run.Evaluations);
        Assert.Equal((double)run.BestScore, (double)best.Score);
        Assert.Contains("EVOLVE-BLOCK-START", (string)best.Source, StringComparison.Ordinal);
        Assert.Equal((string)best.Source, (string)page.Items[0].Source);
        Assert.Equal(1, (int)runs.Total);
    }

    /// <summary>
    /// The document declares enums as strings; NSwag's System.Text.Json output puts no converter on properties that
    /// refer to an enum component, so the client adds one through its documented hook.
    /// </summary>
    private const string EnumsAsStrings = """
        namespace Generated;

        public partial class EvoCodeClient
        {
            static partial void UpdateJsonSerializerSettings(System.Text.Json.JsonSerializerOptions settings) =>
                settings.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
        }
        """;

    private static Assembly Compile(string code)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create(
            "EvoCode.GeneratedClient",
            [CSharpSyntaxTree.ParseText(code, cancellationToken: TestContext.Current.CancellationToken), CSharpSyntaxTree.ParseText(EnumsAsStrings, cancellationToken: TestContext.Current.CancellationToken)],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(emitted.Success, string.Join('\n', emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(20)));
        image.Position = 0;
        return new AssemblyLoadContext("generated-client", isCollectible: true).LoadFromStream(image);
    }
}
