using EvoCode.Api.Contracts;
using EvoCode.Api.Examples;
using EvoCode.Evaluators.Catalog;
using EvoCode.Evolver.Llm;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace EvoCode.Api.Endpoints;

/// <summary>What this server offers: evaluators, language models, example problems.</summary>
internal static class CatalogEndpoints
{
    public static IEndpointRouteBuilder MapCatalogEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Catalogue").WithHead();
        api.MapGet("/evaluators", GetEvaluators).WithName("GetEvaluators").WithSummary("The evaluator catalogue with parameters and metrics");
        api.MapGet("/models", GetModels).WithName("GetModels").WithSummary("The configured language models (never their keys)");
        api.MapGet("/examples", GetExamples).WithName("GetExamples").WithSummary("The bundled example problems");
        return app;
    }

    public static Ok<IReadOnlyList<EvaluatorInfo>> GetEvaluators(EvaluatorCatalog catalog) => TypedResults.Ok(catalog.Evaluators);

    public static Ok<ModelsView> GetModels(ILanguageModelOperatorFactory factory, IOptions<LanguageModelOptions> options) =>
        TypedResults.Ok(new ModelsView(
            factory.Status,
            [.. options.Value.Models.Select(m => new ModelView(m.Name, m.Provider, m.Model, PublicEndpoint(m.Endpoint), m.InputPricePerMillion, m.OutputPricePerMillion))]));

    public static Ok<List<ExampleView>> GetExamples(ExampleShelf examples) =>
        TypedResults.Ok(examples.All.Select(e => new ExampleView(e.Name, e.Title, e.Language, e.EvaluatorId, e.EvaluatorParameters, e.Run, e.Published)).ToList());

    /// <summary>The endpoint without user info or query, where a careless configuration could hold a secret.</summary>
    private static string? PublicEndpoint(Uri? endpoint) =>
        endpoint is null ? null : endpoint.IsAbsoluteUri ? endpoint.GetLeftPart(UriPartial.Path).Replace(endpoint.UserInfo + "@", "", StringComparison.Ordinal) : null;
}
