using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace EvoCode.Api.Endpoints;

/// <summary>The one shape of "no such resource".</summary>
internal static class NotFoundProblem
{
    public static NotFound<ProblemDetails> Of(string resource, Guid id) =>
        TypedResults.NotFound(new ProblemDetails { Title = $"No {resource} with id {id}.", Status = StatusCodes.Status404NotFound });
}
