using System.ComponentModel.DataAnnotations;

namespace EvoCode.Api.Hosting;

/// <summary>Limits at the edge of the API, bound from the <c>Api</c> section.</summary>
internal sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>Largest request body Kestrel accepts; a larger one is a 413.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest seed program in UTF-8 bytes; the sandbox refuses larger sources anyway, so say it early with a 400.</summary>
    [Range(256, 16 * 1024 * 1024)]
    public int MaxSourceBytes { get; set; } = 65536;

    /// <summary>Seconds between SSE heartbeat comments, so proxies keep an idle stream open.</summary>
    [Range(1, 300)]
    public int HeartbeatSeconds { get; set; } = 15;
}
