using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace EvoCode.Api.Endpoints;

/// <summary>HTTP basics every resource gets the same way: HEAD beside GET, and ETags with conditional GET.</summary>
internal static class HttpConventions
{
    /// <summary>
    /// Lets every GET endpoint of the group answer HEAD too: the handler runs and Kestrel sends its headers only
    /// (it never writes a body for HEAD). The OpenAPI document lists the GET operations only.
    /// </summary>
    public static TBuilder WithHead<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Finally(endpoint =>
        {
            if (endpoint.Metadata.OfType<IHttpMethodMetadata>().LastOrDefault() is { } methods
                && methods.HttpMethods.Contains(HttpMethods.Get) && !methods.HttpMethods.Contains(HttpMethods.Head))
            {
                endpoint.Metadata.Add(new HttpMethodMetadata([.. methods.HttpMethods, HttpMethods.Head], methods.AcceptCorsPreflight));
            }
        });
        return builder;
    }

    /// <summary>
    /// A strong ETag over the JSON a 200 answer sends; <c>If-None-Match</c> with it is a 304 without a body, so a
    /// dashboard polling a large lineage downloads it only when it changed.
    /// </summary>
    public static TBuilder WithETag<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            var inner = result is INestedHttpResult nested ? nested.Result : result;
            if (inner is not (IValueHttpResult { Value: { } value } and IStatusCodeHttpResult { StatusCode: StatusCodes.Status200OK }))
            {
                return result;
            }

            var http = context.HttpContext;
            var json = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
            var body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), json);
            var tag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(body).AsSpan(0, 16))}\"");
            http.Response.Headers.ETag = tag.ToString();
            http.Response.Headers.CacheControl = "no-cache";
            var ifNoneMatch = http.Request.GetTypedHeaders().IfNoneMatch;
            if (ifNoneMatch.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(tag, useStrongComparison: false)))
            {
                return TypedResults.StatusCode(StatusCodes.Status304NotModified);
            }

            return TypedResults.Bytes(body, "application/json; charset=utf-8");
        });
        builder.WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status304NotModified, typeof(void), []));
        return builder;
    }
}
