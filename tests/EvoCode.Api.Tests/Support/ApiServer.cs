using EvoCode.Testing;
using System.Net.Http.Json;
using System.Text.Json;

namespace EvoCode.Api.Tests;

/// <summary>The real server in a fresh folder (its own SQLite database unless told otherwise), and an HTTP client on it.</summary>
internal sealed class ApiServer : IAsyncDisposable
{
    private readonly DirectoryInfo _folder;

    private ApiServer(DirectoryInfo folder, ServerProcess process)
    {
        _folder = folder;
        Process = process;
        Http = new HttpClient { BaseAddress = process.Address, Timeout = TimeSpan.FromMinutes(2) };
    }

    public ServerProcess Process { get; }

    public HttpClient Http { get; }

    public static async Task<ApiServer> StartAsync(IReadOnlyDictionary<string, string?>? environment = null, CancellationToken cancellationToken = default)
    {
        var folder = Directory.CreateTempSubdirectory("evocode-api-");
        try
        {
            return new ApiServer(folder, await ServerProcess.StartAsync(folder.FullName, environment ?? new Dictionary<string, string?>(), cancellationToken));
        }
        catch
        {
            folder.Delete(recursive: true);
            throw;
        }
    }

    /// <summary>The circle-packing example's seed, as the repository holds it.</summary>
    public static string CirclePackingSeed() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "examples", "circle-packing-26", "seed.cs"));

    public static object CirclePackingProblem(string name, string? seed = null, object? defaults = null) => new
    {
        name,
        title = "Circle packing, n = 26",
        description = "Place 26 circles in the unit square maximizing the sum of their radii.",
        seed = seed ?? CirclePackingSeed(),
        evaluator = new { id = "circle-packing", parameters = new { n = 26, tolerance = "strict" } },
        defaults,
    };

    public async Task<JsonElement> PostAsync(string path, object body, CancellationToken cancellationToken)
    {
        using var response = await Http.PostAsJsonAsync(path, body, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken) =>
        await Http.GetFromJsonAsync<JsonElement>(path, cancellationToken);

    /// <summary>Polls the run until it leaves Pending and Running, asserts it Completed (within 4 minutes) and returns it.</summary>
    public async Task<JsonElement> WaitUntilCompletedAsync(Guid runId, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(4);
        while (true)
        {
            var run = await GetAsync($"/api/runs/{runId}", cancellationToken);
            if (run.GetProperty("status").GetString() is not ("Pending" or "Running"))
            {
                Assert.Equal("Completed", run.GetProperty("status").GetString());
                return run;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Run {runId} did not finish in time.");
            await Task.Delay(250, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Process.DisposeAsync();
        _folder.Delete(recursive: true);
    }
}
