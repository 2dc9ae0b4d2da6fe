using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace EvoCode.Api.Hosting;

/// <summary>
/// Turns a request the framework could not read (malformed JSON, a wrong type, a body over the size limit) into a
/// 400 (or 413) ProblemDetails with the field that failed, instead of a 500.
/// </summary>
internal sealed class BadRequestExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        IResult result;
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            result = TypedResults.Problem(statusCode: bad.StatusCode, title: "The request body is too large.", detail: "See Api:MaxRequestBodyBytes.");
        }
        else if (bad.InnerException is JsonException json)
        {
            var field = json.Path is null or "$" ? "body" : json.Path.TrimStart('$', '.');
            var where = json.LineNumber is { } line ? $" (line {line + 1}, position {json.BytePositionInLine})" : "";
            result = TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { [field] = [$"The JSON is malformed or a value has the wrong type{where}."] },
                title: "The request body is not valid JSON for this endpoint.");
        }
        else
        {
            result = TypedResults.Problem(statusCode: bad.StatusCode, title: "The request could not be read.", detail: bad.Message);
        }

        await result.ExecuteAsync(httpContext);
        return true;
    }
}
