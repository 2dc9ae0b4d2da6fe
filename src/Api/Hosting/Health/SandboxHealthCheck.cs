using EvoCode.Sandbox;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EvoCode.Api.Hosting.Health;

/// <summary>
/// Ready when the sandbox has settled its jail and has a worker. <see cref="ISandboxStatus"/> counts idle workers
/// only, so a pool whose workers are all busy (or restarting) is reported degraded, which still answers 200:
/// a running search must not make the server look down. This is the one place to switch to a live-worker count.
/// </summary>
internal sealed class SandboxHealthCheck(ISandboxStatus sandbox) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>
        {
            ["isolation"] = sandbox.IsolationLevel,
            ["workers"] = sandbox.Workers,
            ["idleWorkers"] = sandbox.IdleWorkers,
        };
        var result = sandbox.IsolationLevel == "starting"
            ? HealthCheckResult.Unhealthy("The sandbox has not started.", data: data)
            : sandbox.IdleWorkers > 0
                ? HealthCheckResult.Healthy($"{sandbox.IdleWorkers} of {sandbox.Workers} workers idle.", data)
                : HealthCheckResult.Degraded($"No idle worker of {sandbox.Workers}: all busy or restarting.", data: data);
        return Task.FromResult(result);
    }
}
