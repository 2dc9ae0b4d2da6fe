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

    private HttpResponseMessage? _response;
    private int _closed;

    /// <summary>The attempt's response, so it can be closed when the attempt times out.</summary>
    public void Attach(HttpResponseMessage response)
    {
        Volatile.Write(ref _response, response);
        if (Volatile.Read(ref _closed) == 1)
        {
            response.Dispose();
        }
    }

    /// <summary>
    /// Closes the attempt's connection: a client that reads a stream without honouring its token (OllamaSharp's
    /// streaming reader) would otherwise keep the socket open until the server finishes.
    /// </summary>
    public void Close()
    {
        Volatile.Write(ref _closed, 1);
        Volatile.Read(ref _response)?.Dispose();
    }

    /// <summary>Starts a probe for the calls made from the current async flow.</summary>
    public static ResponseProbe Begin()
    {
        var probe = new ResponseProbe();
        s_current.Value = probe;
        return probe;
    }
}
