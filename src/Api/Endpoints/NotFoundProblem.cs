using Microsoft.AspNetCore.Http.HttpResults;

namespace EvoCode.Api.Endpoints;

/// <summary>The one shape of "no such resource": a 404 application/problem+json.</summary>
internal static class NotFoundProblem
{
    public static ProblemHttpResult Of(string resource, Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No {resource} with id {id}.");
}
