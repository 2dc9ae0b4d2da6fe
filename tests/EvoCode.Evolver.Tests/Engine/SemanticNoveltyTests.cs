using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Engine;
using EvoCode.Evolver.Languages;
using EvoCode.Evolver.Persistence;
using EvoCode.Evolver.Search;
using EvoCode.Testing;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Evolver.Tests.Engine;

/// <summary>Novelty by meaning in the real run loop, with the MiniLM model shipped in the package.</summary>
public sealed class SemanticNoveltyTests(StoreFixture stores)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Run_ThresholdZero_RejectsEveryChildAsSimilarInMeaning()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = new EngineHarness(await stores.CreateStoreAsync(StoreProvider.Sqlite, ct), new QuadraticEvaluator());
        var problem = await harness.AddProblemAsync(QuadraticEvaluator.Seed, ct);
        await harness.StartAsync(ct);

        var run = await harness.Control.StartAsync(problem.Id, new RunSettings { MaxEvaluations = 20, MaxProposals = 6, Islands = 1, SemanticSimilarityThreshold = 0 }, "novelty", ct);
        var done = await harness.WaitForEndAsync(run.Id, s_timeout, ct);

        // Every cosine similarity is >= 0 here, so nothing after the seed is new enough.
        Assert.Equal(RunStatus.Completed, done.Status);
        Assert.Equal("Reached the proposal budget (6).", done.StatusReason);
        Assert.Equal(1, done.Evaluations);
        // The seed is the first of the 6 proposals; the other 5 were rejected.
        Assert.Equal(5, done.Rejections);
        Assert.True(done.Statistics.Rejections[SemanticNovelty.Rejection] > 0);
        Assert.Equal(5, done.Statistics.Rejections.Values.Sum());
    }

    [Fact]
    public async Task Run_WithThreshold_StoresEachChildsEmbeddingAndEveryStoredChildIsFarEnoughFromItsParent()
    {
        const double threshold = 0.995;
        var ct = TestContext.Current.CancellationToken;
        await using var harness = new EngineHarness(await stores.CreateStoreAsync(StoreProvider.Sqlite, ct), new QuadraticEvaluator());
        var problem = await harness.AddProblemAsync(QuadraticEvaluator.Seed, ct);
        await harness.StartAsync(ct);

        var run = await harness.Control.StartAsync(problem.Id, new RunSettings { MaxProposals = 40, MaxEvaluations = 40, Islands = 1, SemanticSimilarityThreshold = threshold, MaxCallsWithoutChild = 1000 }, "novelty", ct);
        var done = await harness.WaitForEndAsync(run.Id, s_timeout, ct);

        await using var db = harness.Store.CreateDbContext();
        var programs = await db.Candidates.AsNoTracking().Where(c => c.RunId == run.Id).OrderBy(c => c.Sequence).ToListAsync(ct);
        var children = programs.Where(c => c.Operator != "seed").ToList();
        TestContext.Current.SendDiagnosticMessage($"{done.Status} {done.StatusReason}: {children.Count} children, rejections {string.Join(", ", done.Statistics.Rejections)}");
        Assert.NotEmpty(children);
        Assert.Null(programs[0].Embedding);
        foreach (var child in children)
        {
            // Stored as computed, and the parent (an elite of the island then) was no closer than the threshold.
            var embedding = CodeEmbedder.FromBytes(child.Embedding!);
            Assert.Equal(CodeEmbedder.Shared.Embed(child.Source, ProgramLanguages.CSharp), embedding);
            var parent = programs.Single(p => p.Id == child.ParentId);
            Assert.True(CodeEmbedder.Similarity(embedding, CodeEmbedder.Shared.Embed(parent.Source, ProgramLanguages.CSharp)) < threshold);
        }
    }
}
