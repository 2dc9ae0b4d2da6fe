using System.Text.Json;
using EvoCode.Evaluators.Contract;
using EvoCode.Evaluators.Examples;

namespace EvoCode.Api.Contracts;

/// <summary>The configured language models. Keys are never part of it: not even the name of their variable.</summary>
internal sealed record ModelsView(string Status, IReadOnlyList<ModelView> Models);

internal sealed record ModelView(string Name, string Provider, string Model, string? Endpoint, decimal? InputPricePerMillion, decimal? OutputPricePerMillion);

internal sealed record ExampleView(string Name, string Title, string Language, string EvaluatorId, JsonElement EvaluatorParameters, RunDefaults Run, PublishedResult? Published);
