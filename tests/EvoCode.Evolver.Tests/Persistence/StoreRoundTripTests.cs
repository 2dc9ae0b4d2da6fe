using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Persistence;
using EvoCode.Testing;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Evolver.Tests.Persistence;

public sealed class StoreRoundTripTests(StoreFixture stores)
{
    [Theory]
    [MemberData(nameof(StoreFixture.Providers), MemberType = typeof(StoreFixture))]
    public async Task Candidate_WithBagsAndTwoParents_ReadsBackAsWritten(StoreProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var store = await stores.CreateStoreAsync(provider, ct);
        Guid childId;
        Candidate first, second;
        await using (var db = store.CreateDbContext())
        {
            var (_, run) = await StoreSeed.ProblemAndRunAsync(db, ct);
            first = StoreSeed.Candidate(run.Id, 1, 1.0);
            second = StoreSeed.Candidate(run.Id, 2, 1.2);
            var child = StoreSeed.Candidate(run.Id, 3, 1.5, first.Id, second.Id);
            child.Metrics = new() { ["sum_of_radii"] = 1.5, ["min_gap"] = 1e-9 };
            child.Features = new() { ["code_length"] = 812 };
            child.Artifacts = [new StoredArtifact("packing", "image/svg+xml", "<svg/>", false), new StoredArtifact("validation", "text/plain", "ok", true)];
            child.Timings = new CandidateTimings(120.5, 33.25, 2);
            child.InputTokens = 1200;
            child.OutputTokens = null;
            child.Cost = 0.001234m;
            child.Prompt = "prompt";
            child.Reply = "reply";
            childId = child.Id;
            db.Candidates.AddRange(first, second, child);
            await db.SaveChangesAsync(ct);
        }

        await using var read = store.CreateDbContext();
        var loaded = await read.Candidates.Include(c => c.Parents).SingleAsync(c => c.Id == childId, ct);
        Assert.Equal("crossover", loaded.Operator);
        Assert.Equal([first.Id, second.Id], loaded.Parents.OrderBy(p => p.Position).Select(p => p.ParentId));
        Assert.Equal(first.Id, loaded.ParentId);
        Assert.Equal(1e-9, loaded.Metrics["min_gap"]);
        Assert.Equal(812, loaded.Features["code_length"]);
        Assert.Equal(2, loaded.Artifacts.Count);
        Assert.Equal("image/svg+xml", loaded.Artifacts[0].MediaType);
        Assert.Equal(new CandidateTimings(120.5, 33.25, 2), loaded.Timings);
        Assert.Equal(1200, loaded.InputTokens);
        Assert.Null(loaded.OutputTokens);
        Assert.Equal(0.001234m, loaded.Cost);
        Assert.Equal(StoreSeed.Now.AddSeconds(3), loaded.CreatedAt);

        // Children of a program, through any parent slot.
        var childrenOfSecond = await read.CandidateParents.Where(p => p.ParentId == second.Id).Select(p => p.CandidateId).ToListAsync(ct);
        Assert.Equal([childId], childrenOfSecond);
    }

    [Theory]
    [MemberData(nameof(StoreFixture.Providers), MemberType = typeof(StoreFixture))]
    public async Task Run_SettingsAndResumeState_ReadBackAsWritten(StoreProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var store = await stores.CreateStoreAsync(provider, ct);
        Guid runId;
        await using (var db = store.CreateDbContext())
        {
            var (_, run) = await StoreSeed.ProblemAndRunAsync(db, ct);
            run.Settings = new RunSettings
            {
                MaxEvaluations = 5000,
                MaxCost = 12.5m,
                TargetScore = 2.635,
                Islands = 4,
                Models = new Dictionary<string, double> { ["gpt"] = 0.7, ["llama"] = 0.3 },
                FeatureDimensions = [new FeatureDimension("complexity", 1, 64, 8, BinScale.Log)],
            };
            run.RandomState = """{"s":[1,2,3,4]}""";
            run.EnsembleState = """{"arms":[]}""";
            run.Cost = 1.25m;
            run.Evaluations = 17;
            runId = run.Id;
            await db.SaveChangesAsync(ct);
        }

        await using var read = store.CreateDbContext();
        var loaded = await read.Runs.Include(r => r.Problem).SingleAsync(r => r.Id == runId, ct);
        Assert.Equal(5000, loaded.Settings.MaxEvaluations);
        Assert.Equal(12.5m, loaded.Settings.MaxCost);
        Assert.Equal(0.3, loaded.Settings.Models!["llama"]);
        Assert.Equal(BinScale.Log, Assert.Single(loaded.Settings.FeatureDimensions!).Scale);
        Assert.Equal("""{"s":[1,2,3,4]}""", loaded.RandomState);
        Assert.Equal(1.25m, loaded.Cost);
        Assert.Equal(17, loaded.Evaluations);
        Assert.Equal("circle-packing", loaded.Problem!.EvaluatorId);
        Assert.Equal(RunStatus.Running, loaded.Status);
    }

    [Theory]
    [MemberData(nameof(StoreFixture.Providers), MemberType = typeof(StoreFixture))]
    public async Task Candidate_DuplicateSequenceInRun_IsRefusedByTheDatabase(StoreProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var store = await stores.CreateStoreAsync(provider, ct);
        await using var db = store.CreateDbContext();
        var (_, run) = await StoreSeed.ProblemAndRunAsync(db, ct);
        db.Candidates.AddRange(StoreSeed.Candidate(run.Id, 7), StoreSeed.Candidate(run.Id, 7));
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(ct));
    }
}
