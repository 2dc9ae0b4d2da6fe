using EvoCode.Evaluators.Examples;
using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Persistence;
using EvoCode.Testing;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Api.Tests.Engine;

public sealed class ProcessKillTests
{
    private const int Budget = 60;

    [Fact]
    public async Task Server_KilledAtRandomMomentsAndRestarted_FinishesTheRunWithEveryProgramEvaluatedExactlyOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = Directory.CreateTempSubdirectory("evocode-kill-");
        var environment = new Dictionary<string, string?>
        {
            ["Engine__InstanceId"] = "kill-test",
            ["Engine__PollInterval"] = "00:00:00.200",
            ["Sandbox__Workers"] = "1",
        };
        try
        {
            // The first start creates and migrates the database; the run goes in while the server is down.
            var server = await ServerProcess.StartAsync(folder.FullName, environment, ct);
            await server.DisposeAsync();
            var options = StoreConfiguration.Options(StoreProvider.Sqlite, StoreConfiguration.SqliteConnectionString(Path.Combine(folder.FullName, "data", "evocode.db")));
            var runId = await AddCirclePackingRunAsync(options, ct);

            var random = new Random(20261125);
            var kills = 0;
            const int plannedKills = 3;
            while (true)
            {
                server = await ServerProcess.StartAsync(folder.FullName, environment, ct);

                // Kill a few times at random moments once evaluations flow, then let the run finish.
                var wait = kills < plannedKills ? TimeSpan.FromMilliseconds(random.Next(3000, 7000)) : TimeSpan.FromMinutes(4);
                var run = await WaitAsync(options, runId, wait, ct);
                if (run.Status == RunStatus.Completed || kills >= plannedKills)
                {
                    await server.DisposeAsync();
                    break;
                }

                // SIGKILL to the server and its sandbox workers, at whatever point the run has reached.
                await server.DisposeAsync();
                kills++;
            }

            await using var db = new EvoCodeDbContext(options);
            var done = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == runId, ct);
            var programs = await db.Candidates.AsNoTracking().Where(c => c.RunId == runId).ToListAsync(ct);
            var evaluated = programs.Where(c => c.State == CandidateState.Evaluated && (c.Sequence == 1 || c.Operator is not ("seed" or "migration"))).ToList();

            Assert.True(kills >= 2, $"The test should kill the server at least twice mid-run; it did {kills} times.");
            Assert.Equal(RunStatus.Completed, done.Status);
            Assert.Equal(Budget, done.Evaluations);
            Assert.Equal(Budget, evaluated.Count);
            Assert.DoesNotContain(programs, c => c.State == CandidateState.Pending);
            Assert.Equal(programs.Count, programs.Select(c => c.Sequence).Distinct().Count());
            Assert.Equal(done.BestScore, programs.Where(c => c.Correct == true).Max(c => c.Score));
            foreach (var cell in await db.ArchiveCells.AsNoTracking().Where(c => c.RunId == runId).ToListAsync(ct))
            {
                var elite = programs.Single(p => p.Id == cell.EliteId);
                Assert.Equal(cell.Score, elite.Score);
                Assert.False(programs.Any(p => p.Island == cell.Island && p.CellKey == cell.CellKey && p.Score > cell.Score), "A better program lost its cell.");
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task<Guid> AddCirclePackingRunAsync(DbContextOptions<EvoCodeDbContext> options, CancellationToken ct)
    {
        var example = ExampleLibrary.Load(Path.Combine(RepositoryRoot.Examples, "circle-packing-26"));
        await using var db = new EvoCodeDbContext(options);
        var problem = ExampleProblems.ToProblem(example, DateTimeOffset.UnixEpoch);
        var run = new Run
        {
            Id = Guid.NewGuid(),
            ProblemId = problem.Id,
            Status = RunStatus.Pending,
            Settings = new RunSettings { MaxEvaluations = Budget, Islands = 2, MigrationInterval = 15, EvaluationConcurrency = 1, ProposalConcurrency = 1 },
            CreatedAt = DateTimeOffset.UnixEpoch,
        };
        db.AddRange(problem, run);
        await db.SaveChangesAsync(ct);
        return run.Id;
    }

    private static async Task<Run> WaitAsync(DbContextOptions<EvoCodeDbContext> options, Guid runId, TimeSpan wait, CancellationToken ct)
    {
        var until = DateTime.UtcNow + wait;
        while (true)
        {
            await using var db = new EvoCodeDbContext(options);
            var run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == runId, ct);
            if (run.Status is RunStatus.Completed or RunStatus.Failed || DateTime.UtcNow >= until)
            {
                return run;
            }

            await Task.Delay(100, ct);
        }
    }
}
