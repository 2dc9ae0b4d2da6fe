using Microsoft.Extensions.Options;

namespace EvoCode.Api.Security;

/// <summary>
/// Asks for <c>X-Api-Key</c> on write requests under <c>/api</c> when keys are configured, and on reads too with
/// <see cref="ApiKeyOptions.ProtectReads"/>. A middleware, not an endpoint filter, so the key is checked before the
/// body is read or validated: without a key every write is a 401, whatever its body. The key is never logged.
/// </summary>
internal sealed class ApiKeyCheck(RequestDelegate next, IOptions<ApiKeyOptions> options)
{
    public const string HeaderName = "X-Api-Key";

    private readonly byte[][] _hashes = [.. options.Value.Hashes.Select(Convert.FromHexString)];
    private readonly bool _protectReads = options.Value.ProtectReads;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var isRead = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method);
        if (_hashes.Length == 0 || !request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) || (isRead && !_protectReads))
        {
            await next(context);
            return;
        }

        var key = request.Headers[HeaderName].ToString();
        if (key.Length == 0 || !ApiKeyHash.Matches(key, _hashes))
        {
            await TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "An API key is required.",
                detail: $"Send a configured key in the {HeaderName} header.").ExecuteAsync(context);
            return;
        }

        await next(context);
    }
}
