using System.Diagnostics;
using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Persistence;
using EvoCode.Testing;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Api.Tests.Engine;

/// <summary>Issue 21: who drives a run, seen through the API; a clean shutdown hands runs back; claims share runs fairly.</summary>
public sealed class RunClaimTests(StoreFixture store)
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task CleanShutdown_HandsTheRunBack_TheOtherServerTakesItOverLongBeforeTheLeaseCouldRunOut()
    {
        var ct = TestContext.Current.CancellationToken;
        // A long lease: a takeover before it ran out can only come from the hand-back.
        var lease = TimeSpan.FromMinutes(2);
        await using var servers = new SharedDatabaseServers(await store.CreateDatabaseAsync(StoreProvider.Postgres, ct));
        var byName = new Dictionary<string, ServerProcess> { ["claim-a"] = await servers.StartAsync("claim-a", lease, s_poll, ct) };
        byName["claim-b"] = await servers.StartAsync("claim-b", lease, s_poll, ct);
        var runId = await servers.AddRunAsync(10_000, DateTimeOffset.UtcNow, ct);

        var first = await servers.WaitForAsync(runId, r => r.Status == RunStatus.Running && r.Owner is not null && r.Evaluations > 0, TimeSpan.FromMinutes(3), "a first owner", ct);
        var owner = byName[first.Owner!];
        var other = byName.Single(s => s.Key != first.Owner);
        var shown = await SharedDatabaseServers.GetAsync(other.Value, $"/api/runs/{runId}", ct);
        var ownership = shown.GetProperty("ownership");
        Assert.Equal(first.Owner, ownership.GetProperty("owner").GetString());
        Assert.Equal(1, ownership.GetProperty("ownerEpoch").GetInt64());
        Assert.True(ownership.GetProperty("leaseExpiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow, shown.ToString());

        await owner.StopAsync(ct);
        var stopped = Stopwatch.StartNew();
        var taken = await servers.WaitForAsync(runId, r => r.Owner == other.Key && r.Status == RunStatus.Running, lease, "the other server's takeover", ct);
        var takeover = stopped.Elapsed;
        TestContext.Current.TestOutputHelper?.WriteLine($"Takeover after a clean shutdown: {takeover.TotalMilliseconds:F0} ms (poll {s_poll.TotalMilliseconds} ms)");

        Assert.Equal(2, taken.OwnerEpoch);
        Assert.Contains("handed 1 runs back", owner.Log, StringComparison.Ordinal);
        var after = (await SharedDatabaseServers.GetAsync(other.Value, $"/api/runs/{runId}", ct)).GetProperty("ownership");
        Assert.Equal(other.Key, after.GetProperty("owner").GetString());
        Assert.Equal(2, after.GetProperty("ownerEpoch").GetInt64());

        // The old lease would still hold for minutes: the run moved because it was handed back.
        Assert.True(DateTimeOffset.UtcNow < first.LeaseExpiresAt, $"The takeover took {takeover}; the handed-back lease ran until {first.LeaseExpiresAt}.");
        await SharedDatabaseServers.PostAsync(other.Value, $"/api/runs/{runId}/cancel", new { }, ct);
    }

    [Fact]
    public async Task FourRuns_TwoIdleServers_EachTakesItsShare_AndTheCapHoldsTheRest()
    {
        var ct = TestContext.Current.CancellationToken;
        var lease = TimeSpan.FromSeconds(10);
        await using var servers = new SharedDatabaseServers(await store.CreateDatabaseAsync(StoreProvider.Postgres, ct));
        var capped = await servers.StartAsync("share-a", lease, s_poll, ct, maxActiveRuns: 1);
        var open = await servers.StartAsync("share-b", lease, s_poll, ct);

        // Both engines have announced themselves before there is any work.
        await using (var db = new EvoCodeDbContext(servers.Options))
        {
            var until = DateTime.UtcNow + TimeSpan.FromMinutes(1);
            while (await db.EngineInstances.CountAsync(ct) < 2)
            {
                Assert.True(DateTime.UtcNow < until, "The engines did not announce themselves.\n" + servers.Logs());
                await Task.Delay(50, ct);
            }
        }

        var start = DateTimeOffset.UtcNow;
        var runs = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            runs.Add(await servers.AddRunAsync(10_000, start.AddMilliseconds(i), ct));
        }

        // Share: 4 runs over 2 live instances is 2 each; share-a's cap is 1, so one run waits.
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        List<Run> seen;
        do
        {
            await Task.Delay(200, ct);
            await using var db = new EvoCodeDbContext(servers.Options);
            seen = await db.Runs.AsNoTracking().Where(r => runs.Contains(r.Id)).ToListAsync(ct);
            Assert.True(DateTime.UtcNow < deadline, "The runs were not claimed:\n" + string.Join('\n', seen.Select(r => $"{r.Status} {r.Owner}")) + "\n" + servers.Logs());
        }
        while (seen.Count(r => r.Status == RunStatus.Running) < 3);

        // Several polls later nothing changed: the capped instance stays at one, the other at its share.
        await Task.Delay(s_poll * 10, ct);
        await using (var db = new EvoCodeDbContext(servers.Options))
        {
            seen = await db.Runs.AsNoTracking().Where(r => runs.Contains(r.Id)).ToListAsync(ct);
        }

        Assert.Equal(1, seen.Count(r => r.Status == RunStatus.Running && r.Owner == "share-a"));
        Assert.Equal(2, seen.Count(r => r.Status == RunStatus.Running && r.Owner == "share-b"));
        Assert.Equal(1, seen.Count(r => r.Status == RunStatus.Pending));
        foreach (var run in runs)
        {
            await SharedDatabaseServers.PostAsync(open, $"/api/runs/{run}/cancel", new { }, ct);
        }

        Assert.False(capped.HasExited);
    }

    [Theory]
    [InlineData("Engine__MaxActiveRuns", "0", "MaxActiveRuns")]
    [InlineData("Engine__PollInterval", "00:00:20", "must be at most half of Engine:LeaseDuration")]
    public async Task BadEngineSetting_TheServerRefusesToStart_WithTheSettingNamed(string variable, string value, string expected)
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = Directory.CreateTempSubdirectory("evocode-badengine-");
        try
        {
            var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(folder.FullName, new Dictionary<string, string?> { [variable] = value }, ct));
            Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
