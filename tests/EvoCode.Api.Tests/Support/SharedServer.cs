namespace EvoCode.Api.Tests;

/// <summary>One open server (no API keys, no models, 1 s SSE heartbeats) shared by a test class: starting one costs seconds.</summary>
public sealed class SharedServer : IAsyncLifetime
{
    private ApiServer? _server;

    internal ApiServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public async ValueTask InitializeAsync() => _server = await ApiServer.StartAsync(
        new Dictionary<string, string?> { ["Api__HeartbeatSeconds"] = "1" },
        TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
