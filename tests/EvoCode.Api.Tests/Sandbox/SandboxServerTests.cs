using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace EvoCode.Api.Tests.Sandbox;

/// <summary>The sandbox as the real server shows it: its uid block, its workers, and what a request gets when no worker can start.</summary>
public sealed class SandboxServerTests
{
    /// <summary>Both servers get the same settings; a base away from the default keeps other checkouts' test runs on this machine out of the block.</summary>
    private const string UserIdBase = "310000";

    [Fact]
    public async Task TwoServersWithTheSameSettings_TakeDifferentUidBlocksAndBothAcceptProblemsAtOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = new Dictionary<string, string?> { ["Sandbox__SandboxUserIdBase"] = UserIdBase };
        await using var first = await ApiServer.StartAsync(settings, ct);
        await using var second = await ApiServer.StartAsync(settings, ct);

        var created = await Task.WhenAll(
            first.PostAsync("/api/problems", ApiServer.CirclePackingProblem("packing-first"), ct),
            second.PostAsync("/api/problems", ApiServer.CirclePackingProblem("packing-second"), ct));
        var measures = await Task.WhenAll(UidMeasure(first, ct), UidMeasure(second, ct));

        Assert.Equal("packing-first", created[0].GetProperty("name").GetString());
        Assert.Equal("packing-second", created[1].GetProperty("name").GetString());
        Assert.Equal(
            ["dedicated unprivileged host uid per slot from 310000 (a block locked by this server)", "dedicated unprivileged host uid per slot from 312048 (a block locked by this server)"],
            measures.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task WorkerUnderAFolderTheJailCannotRead_ProblemIsRefusedWith503NamingTheCauseAndHealthCountsNoWorkerAndIsNotReady()
    {
        var ct = TestContext.Current.CancellationToken;
        var locked = Directory.CreateTempSubdirectory("evocode-locked-");
        try
        {
            // Like a build under /root (mode 0700): the jail's unprivileged uid cannot reach the worker.
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(locked.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var worker = Path.Combine(locked.CreateSubdirectory("app").FullName, "EvoCode.Sandbox.Worker.dll");
            File.Copy(Path.Combine(AppContext.BaseDirectory, "EvoCode.Sandbox.Worker.dll"), worker);
            await using var server = await ApiServer.StartAsync(
                new Dictionary<string, string?>
                {
                    ["Sandbox__SandboxUserIdBase"] = UserIdBase,
                    ["Sandbox__WorkerPath"] = worker,
                    ["Sandbox__WorkerWaitTimeout"] = "00:00:05",
                },
                ct);

            using var response = await server.Http.PostAsJsonAsync("/api/problems", ApiServer.CirclePackingProblem("packing-unavailable"), ct);
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement;
            var sandbox = (await server.GetAsync("/healthz", ct)).GetProperty("sandbox");
            using var ready = await server.Http.GetAsync("/health/ready", ct);
            var readiness = await ready.Content.ReadAsStringAsync(ct);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("The sandbox is unavailable.", problem.GetProperty("title").GetString());
            Assert.Contains("Permission denied", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal(0, sandbox.GetProperty("liveWorkers").GetInt32());
            Assert.Equal(0, sandbox.GetProperty("idleWorkers").GetInt32());
            Assert.Contains("Permission denied", sandbox.GetProperty("startFailure").GetString(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Contains("No sandbox worker can start", readiness, StringComparison.Ordinal);
            Assert.Contains("Permission denied", readiness, StringComparison.Ordinal);
        }
        finally
        {
            locked.Delete(recursive: true);
        }
    }

    private static async Task<string> UidMeasure(ApiServer server, CancellationToken ct)
    {
        var health = await server.GetAsync("/healthz", ct);
        return health.GetProperty("sandbox").GetProperty("measures").EnumerateArray().Select(m => m.GetString()!).Single(m => m.StartsWith("dedicated unprivileged host uid", StringComparison.Ordinal));
    }
}
