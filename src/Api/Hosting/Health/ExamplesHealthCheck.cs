using EvoCode.Api.Examples;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EvoCode.Api.Hosting.Health;

/// <summary>
/// The example problems loaded (the first check loads them). None found is degraded, not unhealthy: a server
/// can serve submitted problems without examples; an example that fails to load is unhealthy.
/// </summary>
internal sealed class ExamplesHealthCheck(ExampleShelf examples) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var count = examples.All.Count;
        var data = new Dictionary<string, object> { ["examples"] = count };
        return Task.FromResult(count > 0
            ? HealthCheckResult.Healthy($"{count} examples loaded.", data)
            : HealthCheckResult.Degraded("No examples loaded; see Examples:Path.", data: data));
    }
}
