using Microsoft.Extensions.Options;

namespace EvoCode.Api.Security;

/// <summary>
/// Asks for <c>X-Api-Key</c> on write requests when keys are configured, and on reads too with
/// <see cref="ApiKeyOptions.ProtectReads"/>. Answers 401 ProblemDetails; the key is never logged.
/// </summary>
internal sealed class ApiKeyFilter : IEndpointFilter
{
    public const string HeaderName = "X-Api-Key";

    private readonly byte[][] _hashes;
    private readonly bool _protectReads;

    public ApiKeyFilter(IOptions<ApiKeyOptions> options)
    {
        _hashes = [.. options.Value.Hashes.Select(Convert.FromHexString)];
        _protectReads = options.Value.ProtectReads;
    }

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        var isRead = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
        if (_hashes.Length == 0 || (isRead && !_protectReads))
        {
            return await next(context);
        }

        var key = request.Headers[HeaderName].ToString();
        if (key.Length == 0 || !ApiKeyHash.Matches(key, _hashes))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "An API key is required.",
                detail: $"Send a configured key in the {HeaderName} header.");
        }

        return await next(context);
    }
}
