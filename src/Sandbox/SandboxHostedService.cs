using Microsoft.Extensions.Hosting;

namespace EvoCode.Sandbox;

/// <summary>Starts the sandbox with the host and stops its workers with it.</summary>
internal sealed class SandboxHostedService(SandboxRunner runner) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => runner.StartAsync(cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken) => await runner.DisposeAsync();
}
