using System.Net;

namespace EvoCode.Evolver.Llm;

/// <summary>
/// What the HTTP layer saw during one attempt. OllamaSharp's exceptions carry no headers, so the
/// status and Retry-After are caught on the way back by <see cref="ResponseProbeHandler"/> and read here.
/// </summary>
internal sealed class ResponseProbe
{
    private static readonly AsyncLocal<ResponseProbe?> s_current = new();

    public static ResponseProbe? Current => s_current.Value;

    public HttpStatusCode? Status { get; set; }

    public TimeSpan? RetryAfter { get; set; }

    /// <summary>Starts a probe for the calls made from the current async flow.</summary>
    public static ResponseProbe Begin()
    {
        var probe = new ResponseProbe();
        s_current.Value = probe;
        return probe;
    }
}
