using System.Text.Json;
using EvoCode.Evolver.Domain;

namespace EvoCode.Api.Contracts;

/// <summary>A new problem. Everything is optional here so that a missing field is a 400 naming it, not a binding failure.</summary>
internal sealed record CreateProblemRequest(
    string? Name,
    string? Title,
    string? Description,
    string? Seed,
    string? Language,
    EvaluatorSpec? Evaluator,
    IReadOnlyList<FeatureDimension>? Features,
    JsonElement? Defaults);

/// <summary>A catalogue evaluator and its parameters (for custom evaluators, their spec).</summary>
internal sealed record EvaluatorSpec(string? Id, JsonElement? Parameters);

internal sealed record ProblemResponse(
    Guid Id,
    string Name,
    string? Title,
    string Description,
    string Seed,
    string Language,
    string EvaluatorId,
    JsonElement EvaluatorParameters,
    IReadOnlyList<FeatureDimension> Features,
    RunSettings Defaults,
    DateTimeOffset CreatedAt)
{
    public static ProblemResponse From(Problem p)
    {
        using var parameters = JsonDocument.Parse(string.IsNullOrWhiteSpace(p.EvaluatorParameters) ? "{}" : p.EvaluatorParameters);
        return new(p.Id, p.Name, p.Title, p.Description, p.SeedSource, p.Language, p.EvaluatorId, parameters.RootElement.Clone(), p.FeatureDimensions, p.DefaultSettings, p.CreatedAt);
    }
}

/// <summary>A problem in a list: what tells it apart, without its seed, description or defaults.</summary>
internal sealed record ProblemSummary(Guid Id, string Name, string? Title, string EvaluatorId, DateTimeOffset CreatedAt, int Runs);
