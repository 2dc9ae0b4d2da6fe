using System.Text;
using EvoCode.Api.Contracts;
using EvoCode.Api.Validation;
using EvoCode.Evaluators.Contract;
using EvoCode.Evolver.Engine;
using EvoCode.Evolver.Languages;
using EvoCode.Evolver.Search;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Api.Endpoints;

/// <summary>Scores one program with a problem's evaluator in the sandbox, as a run would, and stores nothing.</summary>
internal static class ProgramEvaluation
{
    public static async Task<Results<Ok<EvaluationView>, ValidationProblem, ProblemHttpResult>> Evaluate(
        Guid id,
        [FromBody] EvaluateProgramRequest? request,
        IEvaluatorResolver evaluators,
        ICandidateRunner runner,
        [AsParameters] ApiServices services,
        CancellationToken cancellationToken)
    {
        if (request is null)
        {
            return RequestBody.Missing("the program to score");
        }

        var errors = new FieldErrors();
        TextRules.RefuseNul(request, errors);
        var maxBytes = services.Options.Value.MaxSourceBytes;
        if (string.IsNullOrWhiteSpace(request.Source))
        {
            errors.Add("source", "Required: the program to score.");
        }
        else if (Encoding.UTF8.GetByteCount(request.Source) > maxBytes)
        {
            errors.Add("source", $"The program is {Encoding.UTF8.GetByteCount(request.Source)} bytes; the limit is {maxBytes} (Api:MaxSourceBytes).");
        }

        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The program cannot be scored.");
        }

        await using var db = await services.Contexts.CreateDbContextAsync(cancellationToken);
        var problem = await db.Problems.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (problem is null)
        {
            return NotFoundProblem.Of("problem", id);
        }

        var evaluator = evaluators.Resolve(problem);
        var result = (await evaluator.EvaluateAsync(request.Source!, runner, new EvaluationContext(request.Seed ?? 0), cancellationToken)).RequireFinite();
        var features = new Dictionary<string, double>(result.Features);
        foreach (var (name, value) in CodeFeatures.Measure(request.Source!, ProgramLanguages.Of(problem)))
        {
            features.TryAdd(name, value);
        }

        return TypedResults.Ok(new EvaluationView(
            result.Correct,
            result.Correct ? result.Score : null,
            result.Metrics,
            features,
            result.Artifacts,
            result.Error,
            result.Outcome.ToString(),
            result.Stage,
            result.RunTime.TotalMilliseconds));
    }
}
