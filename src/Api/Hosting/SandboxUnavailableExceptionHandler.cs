using EvoCode.Sandbox;
using Microsoft.AspNetCore.Diagnostics;

namespace EvoCode.Api.Hosting;

/// <summary>A request that needed a sandbox worker when none could be had: 503 naming the cause, so clients retry later instead of waiting.</summary>
internal sealed class SandboxUnavailableExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not SandboxUnavailableException unavailable)
        {
            return false;
        }

        await TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The sandbox is unavailable.", detail: unavailable.Message)
            .ExecuteAsync(httpContext);
        return true;
    }
}
