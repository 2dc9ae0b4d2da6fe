using System.Text.Json;
using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Persistence;
using EvoCode.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EvoCode.Api.Tests.Engine;

/// <summary>
/// Issue 21: a run has one writer. Two published servers share one PostgreSQL; the owner of the run is frozen
/// (SIGSTOP) for longer than its lease, either at a random moment (mostly inside an evaluation) or inside a
/// commit (its write is held on a table lock, then it is frozen with the transaction open), the other server
/// takes the run over, and the first goes on (SIGCONT). Its late writes must be refused: every program is
/// evaluated and counted exactly once and no event repeats.
/// </summary>
public sealed class RunFencingTests(StoreFixture store)
{
    private const int Repetitions = 20;
    private static readonly TimeSpan s_lease = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task OwnerFrozenInEvaluationOrCommitLongerThanTheLease_TwentyTimes_EveryProgramEvaluatedAndCountedExactlyOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = await store.CreateDatabaseAsync(StoreProvider.Postgres, ct);
        await using var servers = new SharedDatabaseServers(database);
        // The first start migrates the database; the second starts on the migrated one.
        var byName = new Dictionary<string, ServerProcess> { ["fence-a"] = await servers.StartAsync("fence-a", s_lease, s_poll, ct) };
        byName["fence-b"] = await servers.StartAsync("fence-b", s_lease, s_poll, ct);
        var runId = await servers.AddRunAsync(30, DateTimeOffset.UtcNow, ct);

        var random = new Random(20261202);
        var freezes = new List<Freeze>();
        while (freezes.Count < Repetitions)
        {
            var before = await servers.WaitForAsync(runId, r => IsDriven(r) || r.Status == RunStatus.Completed, TimeSpan.FromMinutes(3), "an owner", ct);
            if (before.Status == RunStatus.Completed)
            {
                // The budget ran out before the freezes did: give the run more work (the extend path users take).
                await SharedDatabaseServers.PostAsync(byName["fence-a"], $"/api/runs/{runId}/extend", new { budgets = new { maxEvaluations = before.Settings.MaxEvaluations + 20 } }, ct);
                continue;
            }

            var owner = byName[before.Owner!];
            var inCommit = freezes.Count % 2 == 1;
            var caught = inCommit ? await FreezeInsideACommitAsync(database, owner, runId, ct) : await FreezeAtRandomAsync(owner, random, ct);
            if (caught is null)
            {
                // The run reached its budget before its next write: nothing to catch; the loop extends it.
                continue;
            }

            var frozenAt = await servers.RunAsync(runId, ct);
            await Task.Delay(s_lease * 1.5 + TimeSpan.FromMilliseconds(random.Next(0, 1000)), ct);
            var duringFreeze = await servers.RunAsync(runId, ct);
            await owner.SignalAsync("CONT", ct);
            freezes.Add(new Freeze(caught, before.Owner!, frozenAt.Evaluations, duringFreeze.Owner, duringFreeze.OwnerEpoch));

            // The next freeze waits for progress after this one, under whichever server owns the run now.
            await servers.WaitForAsync(runId, r => r.Evaluations > frozenAt.Evaluations || r.Status == RunStatus.Completed, TimeSpan.FromMinutes(3), "progress after the freeze", ct);
        }

        var done = await servers.WaitForAsync(runId, r => r.Status is RunStatus.Completed or RunStatus.Failed, TimeSpan.FromMinutes(10), "the end of the run", ct);
        var log = string.Join('\n', freezes.Select(f => $"{f.Kind} of {f.Owner} at {f.Evaluations} evaluations: owner during the freeze {f.OwnerDuring} (epoch {f.EpochDuring})"));
        TestContext.Current.TestOutputHelper?.WriteLine(log);

        await using var db = new EvoCodeDbContext(servers.Options);
        var programs = await db.Candidates.AsNoTracking().Where(c => c.RunId == runId).ToListAsync(ct);
        var evaluated = programs.Where(c => c.State == CandidateState.Evaluated && (c.Sequence == 1 || c.Operator is not ("seed" or "migration"))).ToList();
        var events = await db.RunEvents.AsNoTracking().Where(e => e.RunId == runId).OrderBy(e => e.Id).ToListAsync(ct);
        var evaluatedEvents = events.Where(e => e.Kind == RunEventKinds.Evaluated).Select(e => JsonDocument.Parse(e.Data).RootElement).ToList();
        var claims = events.Where(e => e.Kind == RunEventKinds.Status && JsonDocument.Parse(e.Data).RootElement.TryGetProperty("ownerEpoch", out _)).ToList();

        Assert.True(done.Status == RunStatus.Completed, $"{done.Status}: {done.StatusReason}\n{log}\n{servers.Logs()}");
        Assert.Equal(Repetitions, freezes.Count);
        Assert.Equal(done.Settings.MaxEvaluations, (int)done.Evaluations);
        Assert.Equal(done.Evaluations, evaluated.Count);
        Assert.DoesNotContain(programs, c => c.State == CandidateState.Pending);
        Assert.Equal(programs.Count, programs.Select(c => c.Sequence).Distinct().Count());

        // One evaluated event per evaluated program, and the counter each carries runs 1..N once.
        Assert.Equal(evaluated.Select(c => c.Id).Order(), evaluatedEvents.Select(e => e.GetProperty("candidateId").GetGuid()).Order());
        Assert.Equal(Enumerable.Range(1, (int)done.Evaluations).Select(i => (long)i), evaluatedEvents.Select(e => e.GetProperty("evaluations").GetInt64()).Order());
        Assert.Equal(done.Evaluations, done.Statistics.Operators.Values.Sum(o => o.Evaluated));

        // Every claim left one status event with its epoch, and the epochs are 1..N in order.
        Assert.Equal(Enumerable.Range(1, (int)done.OwnerEpoch).Select(i => (long)i), claims.Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("ownerEpoch").GetInt64()));

        // The freezes did what they are for: the run changed hands while its owner was frozen, and the late
        // writes of the woken owner were refused (each server logs every refused write).
        var takeovers = freezes.Count(f => f.OwnerDuring != f.Owner);
        Assert.True(takeovers >= 1, $"No freeze saw a takeover.\n{log}");
        Assert.Contains("no longer holds the run", servers.Logs(), StringComparison.Ordinal);
    }

    private sealed record Freeze(string Kind, string Owner, long Evaluations, string? OwnerDuring, long EpochDuring);

    private static bool IsDriven(Run run) => run.Status == RunStatus.Running && run.Owner is not null && run.LeaseExpiresAt > DateTimeOffset.UtcNow && run.Evaluations > 0;

    /// <summary>Freezes the owner at a random moment of its loop; with evaluations taking most of the time, mostly inside one.</summary>
    private static async Task<string> FreezeAtRandomAsync(ServerProcess owner, Random random, CancellationToken ct)
    {
        await Task.Delay(random.Next(0, 1500), ct);
        await owner.SignalAsync("STOP", ct);
        return "random-moment freeze";
    }

    /// <summary>
    /// Freezes the owner inside a commit: a lock on the programs table holds its next write (a proposal or an
    /// evaluation commit, in its transaction); once PostgreSQL shows the write waiting, the owner is frozen and the
    /// lock released, so the write lands in an open transaction of a frozen process. Null when the run completed
    /// before writing again (it was on its last evaluation): no write will come until it is extended.
    /// </summary>
    private static async Task<string?> FreezeInsideACommitAsync(string database, ServerProcess owner, Guid runId, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var lockTable = new NpgsqlCommand($"LOCK TABLE {EvoCodeDbContext.Schema}.candidates IN EXCLUSIVE MODE", connection, transaction))
        {
            await lockTable.ExecuteNonQueryAsync(ct);
        }

        var until = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        string? waiting = null;
        while (waiting is null && DateTime.UtcNow < until)
        {
            await using var look = new NpgsqlCommand(
                "SELECT query FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid() LIMIT 1", connection, transaction);
            waiting = await look.ExecuteScalarAsync(ct) as string;
            if (waiting is null)
            {
                // The runs table is not locked: a run that ended is seen at once.
                await using var status = new NpgsqlCommand($"SELECT status, status_reason FROM {EvoCodeDbContext.Schema}.runs WHERE id = @id", connection, transaction);
                status.Parameters.AddWithValue("id", runId);
                await using (var reader = await status.ExecuteReaderAsync(ct))
                {
                    await reader.ReadAsync(ct);
                    var state = reader.GetString(0);
                    if (state == nameof(RunStatus.Completed))
                    {
                        return null;
                    }

                    Assert.True(state == nameof(RunStatus.Running), $"The run is {state} ({(reader.IsDBNull(1) ? "" : reader.GetString(1))}) while waiting for its owner's next write.");
                }

                await Task.Delay(20, ct);
            }
        }

        Assert.True(waiting is not null, "The owner wrote no program for a minute while the run was Running.");
        await owner.SignalAsync("STOP", ct);
        await transaction.CommitAsync(ct);
        return waiting.TrimStart().StartsWith("INSERT", StringComparison.OrdinalIgnoreCase) || waiting.Contains("INSERT INTO", StringComparison.Ordinal) ? "freeze inside a proposal commit" : "freeze inside an evaluation commit";
    }
}
