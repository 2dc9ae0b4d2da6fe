using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using EvoCode.Testing;

namespace EvoCode.Bench.Evolver;

/// <summary>
/// The server as it ships (<see cref="ServerProcess"/>: the ReadyToRun publish, started on loopback) in a fresh
/// folder, with an HTTP client on it; the benches that talk to the API share it.
/// </summary>
internal sealed class PublishedApi : IAsyncDisposable
{
    private readonly DirectoryInfo _folder;
    private readonly ServerProcess _server;

    private PublishedApi(DirectoryInfo folder, ServerProcess server, TimeSpan ready)
    {
        _folder = folder;
        _server = server;
        Ready = ready;
        Http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(5) };
    }

    public HttpClient Http { get; }

    /// <summary>From the server's launch until <c>/health/ready</c> first answered 200.</summary>
    public TimeSpan Ready { get; }

    /// <summary>Starts the server (environment as <see cref="ServerProcess.StartAsync"/> takes it) and waits until it is ready.</summary>
    public static async Task<PublishedApi> StartAsync(IReadOnlyDictionary<string, string?> environment)
    {
        var folder = Directory.CreateTempSubdirectory("evocode-bench-api-");
        if (!OperatingSystem.IsWindows())
        {
            // The jailed workers run as other users and must reach the server's data folder.
            File.SetUnixFileMode(folder.FullName, (UnixFileMode)0b111_101_101);
        }

        var launched = Stopwatch.StartNew();
        var server = await ServerProcess.StartAsync(folder.FullName, environment, CancellationToken.None);
        using var probe = new HttpClient { BaseAddress = server.Address };
        while ((await probe.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode != System.Net.HttpStatusCode.OK)
        {
            await Task.Delay(100);
        }

        return new PublishedApi(folder, server, launched.Elapsed);
    }

    public async Task<JsonElement> GetAsync(string path) =>
        await Http.GetFromJsonAsync<JsonElement>(new Uri(path, UriKind.Relative));

    public async Task<JsonElement> PostAsync(string path, object body)
    {
        using var response = await Http.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonDocument.Parse(text).RootElement.Clone()
            : throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _server.DisposeAsync();
        try
        {
            _folder.Delete(recursive: true);
        }
        catch (IOException)
        {
            // The server may still hold its store for a moment.
        }
    }
}
