using EvoCode.Evolver.Domain;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace EvoCode.Api.Contracts;

/// <summary>
/// Makes the generated OpenAPI document say what the API does: request fields optional (a missing one is a 400
/// naming it, not a binding failure), <see cref="RunSettings"/> described where a request takes settings, the error
/// responses every operation can give, and GET operations only (HEAD is implied). The document is a test artefact:
/// a client generated from it runs the README journey.
/// </summary>
internal static class OpenApiContract
{
    private static readonly HashSet<Type> s_requests =
        [typeof(CreateProblemRequest), typeof(EvaluatorSpec), typeof(StartRunRequest), typeof(ExtendRunRequest), typeof(EvaluateProgramRequest)];

    /// <summary>Request properties that are any subset of <see cref="RunSettings"/>.</summary>
    private static readonly Dictionary<Type, string> s_settingsProperties = new()
    {
        [typeof(CreateProblemRequest)] = "defaults",
        [typeof(StartRunRequest)] = "settings",
        [typeof(ExtendRunRequest)] = "budgets",
    };

    /// <summary>Operations that answer 409 when the resource's state does not allow the change.</summary>
    private static readonly HashSet<string> s_conflicts = ["CreateProblem", "DeleteProblem", "PauseRun", "ResumeRun", "CancelRun", "ExtendRun", "DeleteRun"];

    public static OpenApiOptions AddEvoCodeContract(this OpenApiOptions options)
    {
        // 3.0: what most client generators read today.
        options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_0;
        options.AddSchemaTransformer(async (schema, context, cancellationToken) =>
        {
            // Web JSON reads numbers from strings too; the contract is numbers (a string-or-number type confuses generators).
            if (schema.Type is { } kinds && (kinds & (JsonSchemaType.Integer | JsonSchemaType.Number)) != 0 && (kinds & JsonSchemaType.String) != 0)
            {
                schema.Type = kinds & ~JsonSchemaType.String;
                schema.Pattern = null;
            }

            var type = context.JsonTypeInfo.Type;
            if (type == typeof(RunSettings) && schema.Properties is { } settingsProperties)
            {
                // The defaults a run gets, so a generated client starts from them instead of zeros and nulls.
                var defaults = System.Text.Json.JsonSerializer.SerializeToNode(new RunSettings(), context.JsonTypeInfo.Options)!.AsObject();
                foreach (var (name, value) in defaults)
                {
                    if (value is not null && settingsProperties.TryGetValue(name, out var setting) && setting is OpenApiSchema concrete)
                    {
                        concrete.Default = value.DeepClone();
                    }
                }
            }

            if (s_requests.Contains(type))
            {
                schema.Required?.Clear();
            }

            if (s_settingsProperties.TryGetValue(type, out var property) && schema.Properties is { } properties)
            {
                var settings = await context.GetOrCreateSchemaAsync(typeof(RunSettings), cancellationToken: cancellationToken);
                settings.Description = "Any subset of the run settings (docs/api.md); omitted ones keep their value.";
                properties[property] = settings;
            }
        });
        options.AddOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var path = context.Description.RelativePath ?? "";
            if (!path.StartsWith("api/", StringComparison.Ordinal))
            {
                return;
            }

            var problem = await context.GetOrCreateSchemaAsync(typeof(Microsoft.AspNetCore.Http.HttpValidationProblemDetails), cancellationToken: cancellationToken);
            operation.Responses ??= [];
            void Error(int status, string description)
            {
                operation.Responses.TryAdd(status.ToString(System.Globalization.CultureInfo.InvariantCulture), new OpenApiResponse
                {
                    Description = description,
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = problem } },
                });
            }

            var hasBody = operation.RequestBody is not null;
            if (hasBody || operation.Parameters?.Any(p => p.In == ParameterLocation.Query) == true)
            {
                Error(400, "A field, query value or body is not valid; errors name each one.");
            }

            Error(401, "An API key is required (when keys are configured).");
            Error(403, "A cross-origin request from an origin not in Api:AllowedOrigins.");
            if (path.Contains("{id}", StringComparison.Ordinal) || path.Contains("{name}", StringComparison.Ordinal))
            {
                Error(404, "No such resource.");
            }

            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().FirstOrDefault()?.EndpointName is { } name && s_conflicts.Contains(name))
            {
                Error(409, "The resource's state does not allow this.");
            }

            if (hasBody)
            {
                Error(413, "The body is over Api:MaxRequestBodyBytes.");
                Error(415, "The body is not application/json.");
            }

            Error(429, "Over Api:RequestsPerMinute; see Retry-After.");
        });
        options.AddDocumentTransformer((document, _, _) =>
        {
            foreach (var item in document.Paths.Values)
            {
                item.Operations?.Remove(HttpMethod.Head);
            }

            return Task.CompletedTask;
        });
        return options;
    }
}
