namespace EvoCode.Evolver.Llm;

/// <summary>Copies each response's status and Retry-After into the current <see cref="ResponseProbe"/>. It never retries: retries live in <see cref="LanguageModel"/> only.</summary>
internal sealed class ResponseProbeHandler(TimeProvider timeProvider) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (ResponseProbe.Current is { } probe)
        {
            probe.Attach(response);
            probe.Status = response.StatusCode;
            var retryAfter = response.Headers.RetryAfter;
            probe.RetryAfter = retryAfter?.Delta ?? (retryAfter?.Date is { } date ? Max(date - timeProvider.GetUtcNow(), TimeSpan.Zero) : null);
        }

        return response;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
