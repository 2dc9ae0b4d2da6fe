using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace EvoCode.Api.Security;

/// <summary>
/// What stands between a request and the endpoints, in this order: known hosts only (DNS rebinding), same-origin or
/// listed origins only (a web page the user visits cannot drive the local server), the API key, the rate limit per
/// key, and JSON bodies only on writes (no form or text/plain "simple" request reaches a handler).
/// </summary>
internal static class EdgeProtection
{
    /// <summary>Host names a keyless server answers to when <c>AllowedHosts</c> is not configured.</summary>
    private static readonly string[] s_loopbackHosts = ["localhost", "127.0.0.1", "[::1]"];

    public static WebApplicationBuilder AddEvoCodeEdge(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<EdgeOptions>().BindConfiguration(EdgeOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        var configuration = builder.Configuration;
        builder.Services.PostConfigure<HostFilteringOptions>(o =>
        {
            // Runs after the framework's own defaulting ("*" when AllowedHosts is unset): an open server stays local.
            var keyed = configuration.GetSection(ApiKeyOptions.SectionName).GetSection(nameof(ApiKeyOptions.Hashes)).GetChildren().Any();
            if (string.IsNullOrWhiteSpace(configuration["AllowedHosts"]) && !keyed)
            {
                o.AllowedHosts = s_loopbackHosts;
            }
        });
        builder.Services.AddCors(o => o.AddDefaultPolicy(p => p
            .WithOrigins([.. configuration.GetSection(EdgeOptions.SectionName).GetSection(nameof(EdgeOptions.AllowedOrigins)).Get<string[]>() ?? []])
            .AllowAnyHeader()
            .AllowAnyMethod()
            .WithExposedHeaders(HeaderNames.ETag, HeaderNames.RetryAfter, HeaderNames.Location)));
        builder.Services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(PartitionOf);
            o.OnRejected = OnRejectedAsync;
        });
        return builder;
    }

    public static WebApplication UseEvoCodeEdge(this WebApplication app)
    {
        app.Use(RefuseForeignOrigins);
        app.UseCors();
        app.UseMiddleware<ApiKeyCheck>();
        app.UseRateLimiter();
        app.Use(RequireJsonBodies);
        return app;
    }

    private static RateLimitPartition<string> PartitionOf(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            return RateLimitPartition.GetNoLimiter("");
        }

        // By the key's hash (never the key itself), else by address: one busy client cannot starve the others.
        var key = context.Request.Headers[ApiKeyCheck.HeaderName].ToString();
        var partition = key.Length > 0 ? "key:" + ApiKeyHash.Compute(key) : "address:" + context.Connection.RemoteIpAddress;
        var perMinute = context.RequestServices.GetRequiredService<IOptions<EdgeOptions>>().Value.RequestsPerMinute;
        return RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });
    }

    private static async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 60;
        rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await TypedResults.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many requests.",
            detail: $"At most Api:RequestsPerMinute requests a minute per key; retry after {seconds} s.").ExecuteAsync(rejected.HttpContext);
    }

    private static async Task RefuseForeignOrigins(HttpContext context, RequestDelegate next)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length > 0 && !IsSameOrigin(origin, context.Request) && !IsListed(origin, context))
        {
            await TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Cross-origin requests are refused.",
                detail: "List the origin in Api:AllowedOrigins to let its pages call this server.").ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    private static bool IsSameOrigin(string origin, HttpRequest request) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);

    private static bool IsListed(string origin, HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<EdgeOptions>>().Value.AllowedOrigins
            .Any(o => string.Equals(o.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase));

    private static async Task RequireJsonBodies(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        var hasBody = request.ContentLength is > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        var isWrite = HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method) || HttpMethods.IsDelete(request.Method);
        if (isWrite && hasBody && request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) && !IsJson(request.ContentType))
        {
            await TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "A request body must be JSON.",
                detail: "Send Content-Type: application/json.").ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    /// <summary>JSON, or JSON Lines for a run import: neither is a type a cross-site form or "simple request" can send.</summary>
    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.MediaType.Equals(Endpoints.RunTransferEndpoints.MediaType, StringComparison.OrdinalIgnoreCase));
}
