using Microsoft.AspNetCore.Http.HttpResults;

namespace EvoCode.Api.Endpoints;

/// <summary>The one answer to an empty or <c>null</c> body: a field error on <c>body</c>, not a binding message.</summary>
internal static class RequestBody
{
    public static ValidationProblem Missing(string what) => TypedResults.ValidationProblem(
        new Dictionary<string, string[]> { ["body"] = [$"Required: {what} as a JSON object."] },
        title: "The request has no body.");
}
