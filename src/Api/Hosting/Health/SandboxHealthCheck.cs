using EvoCode.Sandbox;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EvoCode.Api.Hosting.Health;

/// <summary>
/// Ready when the sandbox has a live worker process (idle or busy: a running search must not make the server look
/// down). With none alive, unhealthy with the pool's start failure when it has one; degraded while the first
/// workers are still starting.
/// </summary>
internal sealed class SandboxHealthCheck(ISandboxStatus sandbox) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>
        {
            ["isolation"] = sandbox.IsolationLevel,
            ["workers"] = sandbox.Workers,
            ["liveWorkers"] = sandbox.LiveWorkers,
            ["idleWorkers"] = sandbox.IdleWorkers,
        };
        var result = (sandbox.IsolationLevel, sandbox.LiveWorkers, sandbox.StartFailure) switch
        {
            ("starting", _, _) => HealthCheckResult.Unhealthy("The sandbox has not started.", data: data),
            (_, > 0, _) => HealthCheckResult.Healthy($"{sandbox.LiveWorkers} of {sandbox.Workers} workers alive, {sandbox.IdleWorkers} idle.", data),
            (_, _, { } failure) => HealthCheckResult.Unhealthy($"No sandbox worker can start: {failure}", data: data),
            _ => HealthCheckResult.Degraded($"No live worker of {sandbox.Workers} yet: starting.", data: data),
        };
        return Task.FromResult(result);
    }
}
