using System.ComponentModel.DataAnnotations;

namespace EvoCode.Api.Security;

/// <summary>What the edge lets in, bound from the <c>Api</c> section (beside <c>ApiOptions</c>' limits).</summary>
internal sealed class EdgeOptions : IValidatableObject
{
    public const string SectionName = "Api";

    /// <summary>Origins (<c>https://host[:port]</c>) whose pages may call the API; every other cross-origin request is a 403.</summary>
    public IList<string> AllowedOrigins { get; init; } = [];

    /// <summary>Requests to <c>/api</c> per minute for one key (or, without a key, one client address); more is a 429.</summary>
    [Range(1, 1_000_000)]
    public int RequestsPerMinute { get; set; } = 1200;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var origin in AllowedOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.PathAndQuery != "/")
            {
                yield return new ValidationResult($"Api:AllowedOrigins entry '{origin}' must be an origin such as https://example.org:8443.", [nameof(AllowedOrigins)]);
            }
        }
    }
}
