using System.Diagnostics;
using System.Text.Json;
using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Persistence;
using EvoCode.Testing;

namespace EvoCode.Api.Tests.Runs;

public sealed class LargeLineageTests
{
    private const int Programs = 100_000;

    [Fact]
    public async Task Lineage_HundredThousandPrograms_ComesBackWholeWithABestPathToTheSeed()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = Directory.CreateTempSubdirectory("evocode-lineage-");
        try
        {
            var runId = await SeedAsync(Path.Combine(folder.FullName, "data", "evocode.db"), ct);
            await using var server = await ApiServer.StartAsync(new Dictionary<string, string?> { ["Storage__DataDirectory"] = Path.Combine(folder.FullName, "data") }, ct);

            var clock = Stopwatch.StartNew();
            using var response = await server.Http.GetAsync($"/api/runs/{runId}/lineage", ct);
            var body = await response.Content.ReadAsByteArrayAsync(ct);
            clock.Stop();
            TestContext.Current.TestOutputHelper?.WriteLine($"lineage of {Programs} programs: {body.Length / 1024.0 / 1024.0:F1} MiB in {clock.ElapsedMilliseconds} ms");

            var lineage = JsonDocument.Parse(body).RootElement;
            Assert.Equal(Programs, lineage.GetProperty("ids").GetArrayLength());
            Assert.Equal(Programs, lineage.GetProperty("parents").GetArrayLength());
            var path = lineage.GetProperty("bestPath").EnumerateArray().Select(p => p.GetInt32()).ToList();
            Assert.Equal(0, path[0]);
            Assert.Equal(Programs - 1, path[^1]);
            Assert.True(body.Length < 12 * 1024 * 1024, $"{body.Length} bytes");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>A run whose programs form a binary tree in sequence order; the last program is the best.</summary>
    private static async Task<Guid> SeedAsync(string path, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var store = new TestStore(StoreProvider.Sqlite, StoreConfiguration.SqliteConnectionString(path));
        await StoreMigrator.MigrateAsync(store, StoreProvider.Sqlite, ct);
        var problem = new Problem { Id = Guid.NewGuid(), Name = "large", Description = "d", SeedSource = "s", EvaluatorId = "circle-packing" };
        var ids = Enumerable.Range(0, Programs).Select(_ => Guid.NewGuid()).ToArray();
        var run = new Run { Id = Guid.NewGuid(), ProblemId = problem.Id, Status = RunStatus.Completed, BestCandidateId = ids[^1], BestScore = Programs };
        await using (var db = store.CreateDbContext())
        {
            db.Problems.Add(problem);
            db.Runs.Add(run);
            await db.SaveChangesAsync(ct);
        }

        foreach (var chunk in Enumerable.Range(0, Programs).Chunk(20_000))
        {
            await using var db = store.CreateDbContext();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            db.Candidates.AddRange(chunk.Select(i => new Candidate
            {
                Id = ids[i],
                RunId = run.Id,
                Sequence = i + 1,
                Island = i % 4,
                ParentId = i == 0 ? null : ids[(i - 1) / 2],
                Operator = i == 0 ? "seed" : "diff",
                Source = "",
                CodeHash = new string('0', 64),
                State = CandidateState.Evaluated,
                Correct = true,
                Score = i,
            }));
            await db.SaveChangesAsync(ct);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return run.Id;
    }
}
