using EvoCode.Api.Hosting.Warmup;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EvoCode.Api.Hosting.Health;

/// <summary>
/// The server's warm-up: healthy once done; degraded (still ready: the server serves, only slower) while it runs
/// and when it failed, with the step or the reason.
/// </summary>
internal sealed class WarmupHealthCheck(WarmupStatus warmup) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (state, description, took) = warmup.Read();
        var data = new Dictionary<string, object> { ["state"] = state };
        if (took is { } elapsed)
        {
            data["milliseconds"] = Math.Round(elapsed.TotalMilliseconds);
        }

        return Task.FromResult(state == "done" ? HealthCheckResult.Healthy(description, data) : HealthCheckResult.Degraded(description, data: data));
    }
}
