using System.Net.Http.Json;
using System.Text.Json;
using EvoCode.Evaluators.Examples;
using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Persistence;
using EvoCode.Testing;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Api.Tests.Engine;

/// <summary>
/// Published servers that share one PostgreSQL database, each with its own engine instance name and the lease
/// settings production reads (<c>Engine:LeaseDuration</c>, <c>Engine:PollInterval</c>, <c>Engine:MaxActiveRuns</c>).
/// </summary>
internal sealed class SharedDatabaseServers(string connectionString) : IAsyncDisposable
{
    private readonly List<(ServerProcess Server, DirectoryInfo Folder)> _servers = [];

    public DbContextOptions<EvoCodeDbContext> Options { get; } = StoreConfiguration.Options(StoreProvider.Postgres, connectionString);

    public async Task<ServerProcess> StartAsync(string instanceId, TimeSpan lease, TimeSpan poll, CancellationToken ct, int? maxActiveRuns = null)
    {
        var folder = Directory.CreateTempSubdirectory("evocode-fence-");
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = connectionString,
            ["Engine__InstanceId"] = instanceId,
            ["Engine__LeaseDuration"] = lease.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
            ["Engine__PollInterval"] = poll.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
            ["Engine__MaxActiveRuns"] = maxActiveRuns?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Sandbox__Workers"] = "1",
        };
        var server = await ServerProcess.StartAsync(folder.FullName, environment, ct);
        _servers.Add((server, folder));
        return server;
    }

    /// <summary>Adds a pending circle-packing run straight to the store (the engines claim it at their next poll).</summary>
    public async Task<Guid> AddRunAsync(int maxEvaluations, DateTimeOffset createdAt, CancellationToken ct)
    {
        var example = ExampleLibrary.Load(Path.Combine(RepositoryRoot.Examples, "circle-packing-26"));
        await using var db = new EvoCodeDbContext(Options);
        var problem = await db.Problems.FirstOrDefaultAsync(p => p.Name == example.Name, ct);
        if (problem is null)
        {
            problem = ExampleProblems.ToProblem(example, DateTimeOffset.UnixEpoch);
            db.Problems.Add(problem);
        }

        var run = new Run
        {
            Id = Guid.NewGuid(),
            ProblemId = problem.Id,
            Status = RunStatus.Pending,
            Settings = new RunSettings { MaxEvaluations = maxEvaluations, Islands = 2, MigrationInterval = 10, EvaluationConcurrency = 1, ProposalConcurrency = 1 },
            CreatedAt = createdAt,
        };
        db.Runs.Add(run);
        await db.SaveChangesAsync(ct);
        return run.Id;
    }

    public async Task<Run> RunAsync(Guid runId, CancellationToken ct)
    {
        await using var db = new EvoCodeDbContext(Options);
        return await db.Runs.AsNoTracking().SingleAsync(r => r.Id == runId, ct);
    }

    /// <summary>Polls the store until the run satisfies <paramref name="done"/>, or fails with what it last saw.</summary>
    public async Task<Run> WaitForAsync(Guid runId, Func<Run, bool> done, TimeSpan patience, string what, CancellationToken ct)
    {
        var until = DateTime.UtcNow + patience;
        while (true)
        {
            var run = await RunAsync(runId, ct);
            if (done(run))
            {
                return run;
            }

            Assert.True(DateTime.UtcNow < until, $"Waited {patience} for {what}; the run is {run.Status} ({run.StatusReason}), owner {run.Owner} epoch {run.OwnerEpoch}, {run.Evaluations} evaluations.\n{Logs()}");
            await Task.Delay(50, ct);
        }
    }

    public static async Task<JsonElement> GetAsync(ServerProcess server, string path, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(1) };
        return await http.GetFromJsonAsync<JsonElement>(path, ct);
    }

    public static async Task PostAsync(ServerProcess server, string path, object body, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(1) };
        using var response = await http.PostAsJsonAsync(path, body, ct);
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
    }

    public string Logs() => string.Join("\n----\n", _servers.Select(s => s.Server.Output));

    public async ValueTask DisposeAsync()
    {
        foreach (var (server, folder) in _servers)
        {
            if (!server.HasExited)
            {
                // A frozen server would not die of SIGKILL's children walk otherwise.
                try
                {
                    await server.SignalAsync("CONT", CancellationToken.None);
                }
                catch (InvalidOperationException)
                {
                    // It ended meanwhile.
                }
            }

            await server.DisposeAsync();
            folder.Delete(recursive: true);
        }
    }
}
