using System.Text.Json;
using EvoCode.Evaluators.Catalog;
using EvoCode.Evaluators.Contract;
using EvoCode.Evolver.Domain;

namespace EvoCode.Evolver.Engine;

/// <summary>Resolves a problem's evaluator from the built-in catalogue (custom script and command evaluators included).</summary>
public sealed class CatalogEvaluatorResolver(EvaluatorCatalog catalog) : IEvaluatorResolver
{
    public IEvaluator Resolve(Problem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        using var parameters = JsonDocument.Parse(string.IsNullOrWhiteSpace(problem.EvaluatorParameters) ? "{}" : problem.EvaluatorParameters);
        if (catalog.TryCreate(problem.EvaluatorId, parameters.RootElement.Clone(), out var evaluator, out var errors))
        {
            return evaluator;
        }

        var details = string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
        throw new ArgumentException($"The problem's evaluator '{problem.EvaluatorId}' cannot be created: {details}");
    }
}
