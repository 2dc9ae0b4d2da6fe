using System.Text.Json;
using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Mutation.Builtin;
using EvoCode.Evolver.Persistence;
using EvoCode.Testing;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Evolver.Tests.Engine;

/// <summary>Issue 22 (and issue 19 item 5): the archive, selection and operator rules, on the real run loop and store.</summary>
public sealed class QualityDiversityTests(StoreFixture stores)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Run_Patience_CompletesExactlyWhenTheBestHasNotImprovedForThatManyEvaluations()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = new EngineHarness(await stores.CreateStoreAsync(StoreProvider.Sqlite, ct), new ConstantEvaluator());
        var problem = await harness.AddProblemAsync(QuadraticEvaluator.Seed, ct);
        await harness.StartAsync(ct);

        var run = await harness.Control.StartAsync(problem.Id, new RunSettings { MaxEvaluations = 200, Islands = 1, Patience = 10 }, "patience", ct);
        var done = await harness.WaitForEndAsync(run.Id, s_timeout, ct);

        // The seed (evaluation 1) is the best ever; ten more evaluations without improving it end the run.
        Assert.Equal(RunStatus.Completed, done.Status);
        Assert.Equal("Patience: the best has not improved in 10 evaluations (run setting patience).", done.StatusReason);
        Assert.Equal(11, done.Evaluations);
        Assert.Equal(1, done.Statistics.BestImprovedAt);
    }

    [Theory]
    [MemberData(nameof(StoreFixture.Providers), MemberType = typeof(StoreFixture))]
    public async Task Run_NeutralMoves_AnEqualScoreTakesACellOnlyWhenTheElitesAgeAllowsIt(StoreProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = new EngineHarness(await stores.CreateStoreAsync(provider, ct), new ConstantEvaluator());
        var problem = await harness.AddProblemAsync(QuadraticEvaluator.Seed, ct);
        await harness.StartAsync(ct);

        var strict = await harness.Control.StartAsync(problem.Id, new RunSettings { MaxEvaluations = 40, Islands = 1, NeutralAge = null }, "strict", ct);
        await harness.WaitForEndAsync(strict.Id, s_timeout, ct);
        var neutral = await harness.Control.StartAsync(problem.Id, new RunSettings { MaxEvaluations = 40, Islands = 1, NeutralAge = 0 }, "neutral", ct);
        await harness.WaitForEndAsync(neutral.Id, s_timeout, ct);

        await using var db = harness.Store.CreateDbContext();
        foreach (var (run, first) in new[] { (strict, true), (neutral, false) })
        {
            var programs = await db.Candidates.AsNoTracking().Where(c => c.RunId == run.Id && c.Correct == true).ToListAsync(ct);
            var cells = await db.ArchiveCells.AsNoTracking().Where(c => c.RunId == run.Id).ToListAsync(ct);
            Assert.Equal(programs.Select(p => p.CellKey).Distinct().Count(), cells.Count);
            foreach (var cell in cells)
            {
                // Every score ties: without neutral moves the first program of a cell keeps it; with age 0 the latest takes it.
                var inCell = programs.Where(p => p.CellKey == cell.CellKey).OrderBy(p => p.Sequence).ToList();
                Assert.Equal((first ? inCell[0] : inCell[^1]).Id, cell.EliteId);
            }

            Assert.Contains(cells, c => programs.Count(p => p.CellKey == c.CellKey) > 1);
        }
    }

    [Fact]
    public async Task Run_HillClimb_EveryParentIsTheBestProgramEvaluatedBeforeIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = new EngineHarness(await stores.CreateStoreAsync(StoreProvider.Sqlite, ct), new QuadraticEvaluator());
        var problem = await harness.AddProblemAsync(QuadraticEvaluator.Seed, ct);
        await harness.StartAsync(ct);

        var settings = new RunSettings { MaxEvaluations = 60, Islands = 1, ParentSelection = "hill-climb", ExploitRatio = 0.0, PopulationShare = 1.0 };
        var run = await harness.Control.StartAsync(problem.Id, settings, "hill-climb", ct);
        await harness.WaitForEndAsync(run.Id, s_timeout, ct);

        await using var db = harness.Store.CreateDbContext();
        var programs = await db.Candidates.AsNoTracking().Where(c => c.RunId == run.Id).OrderBy(c => c.Sequence).ToListAsync(ct);
        Assert.Equal(60, programs.Count);
        for (var i = 1; i < programs.Count; i++)
        {
            // Lockstep: the child was proposed after every earlier program was evaluated. No uniform or population draws.
            var best = programs.Take(i).Where(p => p.Correct == true).Max(p => p.Score);
            Assert.Equal(best, programs.Single(p => p.Id == programs[i].ParentId).Score);
        }
    }

    [Fact]
    public async Task Run_Population_ParentsComeFromTheIslandsRecentCorrectProgramsElitesOrNot()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = new EngineHarness(await stores.CreateStoreAsync(StoreProvider.Sqlite, ct), new QuadraticEvaluator());
        var problem = await harness.AddProblemAsync(QuadraticEvaluator.Seed, ct);
        await harness.StartAsync(ct);

        var settings = new RunSettings { MaxEvaluations = 60, Islands = 1, PopulationSize = 5, PopulationShare = 1.0 };
        var run = await harness.Control.StartAsync(problem.Id, settings, "population", ct);
        await harness.WaitForEndAsync(run.Id, s_timeout, ct);

        await using var db = harness.Store.CreateDbContext();
        var programs = await db.Candidates.AsNoTracking().Where(c => c.RunId == run.Id).OrderBy(c => c.Sequence).ToListAsync(ct);
        for (var i = 1; i < programs.Count; i++)
        {
            var recent = programs.Take(i).Where(p => p.Correct == true).TakeLast(5).Select(p => p.Id).ToList();
            Assert.Contains(programs[i].ParentId!.Value, recent);
        }

        // Some parents never held a cell: the population reaches behind the archive.
        var parents = programs.Skip(1).Select(p => p.ParentId!.Value).ToHashSet();
        Assert.Contains(programs, p => parents.Contains(p.Id) && p.BecameElite != true);
    }

    [Theory]
    [MemberData(nameof(StoreFixture.Providers), MemberType = typeof(StoreFixture))]
    public async Task Run_StagnantIsland_IsRestartedFromTheBestOfTheOthers(StoreProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = new EngineHarness(await stores.CreateStoreAsync(provider, ct), new ConstantEvaluator());
        var problem = await harness.AddProblemAsync(QuadraticEvaluator.Seed, ct);
        await harness.StartAsync(ct);

        // Nothing improves after the seed: island 0 holds the run's best (the seed) and is never restarted; the other
        // two stagnate from their seed copies and are restarted in turn.
        var settings = new RunSettings { MaxEvaluations = 60, Islands = 3, MigrationInterval = 1000, IslandStagnation = 20 };
        var run = await harness.Control.StartAsync(problem.Id, settings, "restart", ct);
        var done = await harness.WaitForEndAsync(run.Id, s_timeout, ct);

        await using var db = harness.Store.CreateDbContext();
        var programs = await db.Candidates.AsNoTracking().Where(c => c.RunId == run.Id).ToListAsync(ct);
        var events = await db.RunEvents.AsNoTracking().Where(e => e.RunId == run.Id && e.Kind == RunEventKinds.IslandRestart).ToListAsync(ct);
        Assert.True(done.Statistics.IslandRestarts > 0);
        Assert.Equal(done.Statistics.IslandRestarts, events.Count);
        var restarted = events.Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("island").GetInt32()).ToList();
        Assert.DoesNotContain(0, restarted);
        var founders = programs.Where(p => p.Operator == "restart").ToList();
        Assert.NotEmpty(founders);
        Assert.All(founders, f => Assert.NotEqual(f.Island, programs.Single(p => p.Id == f.ParentId).Island));

        // The store's cells still match their elites after the clears.
        var cells = await db.ArchiveCells.AsNoTracking().Where(c => c.RunId == run.Id).ToListAsync(ct);
        Assert.All(cells, cell => Assert.Equal(cell.Island, programs.Single(p => p.Id == cell.EliteId).Island));
        Assert.Equal(cells.Count, done.Statistics.FilledCells);
    }

    [Fact]
    public async Task Run_OperatorBandit_CountsMatchTheStatisticsAndTheStepFollowsTheOneFifthRule()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = new EngineHarness(await stores.CreateStoreAsync(StoreProvider.Sqlite, ct), new QuadraticEvaluator());
        var problem = await harness.AddProblemAsync(QuadraticEvaluator.Seed, ct);
        await harness.StartAsync(ct);

        var mix = new Dictionary<string, double> { ["literal"] = 0.25, ["swap-statements"] = 0.75 };
        var learning = await harness.Control.StartAsync(problem.Id, new RunSettings { MaxEvaluations = 120, Islands = 1, Operators = mix }, "bandit", ct);
        await harness.WaitForEndAsync(learning.Id, s_timeout, ct);
        var fixedRun = await harness.Control.StartAsync(problem.Id, new RunSettings { MaxEvaluations = 120, Islands = 1, Operators = mix, OperatorPolicy = "fixed" }, "fixed", ct);
        await harness.WaitForEndAsync(fixedRun.Id, s_timeout, ct);

        // Stopped, the loops have saved their last counters (the last child's reward comes after its commit).
        await harness.StopAsync();
        await using var db = harness.Store.CreateDbContext();
        var learned = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == learning.Id, ct);
        var fixedDone = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == fixedRun.Id, ct);

        // Swapping the two declarations never changes x or y, so it never improves and loses its share.
        var stats = learned.Statistics.Operators;
        Assert.Equal(0, stats["swap-statements"].ImprovedOnParent);
        Assert.True(stats["literal"].ImprovedOnParent > 0);
        Assert.True(stats["literal"].Proposed > fixedDone.Statistics.Operators["literal"].Proposed,
            $"bandit {stats["literal"].Proposed} vs fixed {fixedDone.Statistics.Operators["literal"].Proposed} literal proposals");

        var saved = OperatorBandit.Restore(learned.EnsembleState)!;
        foreach (var name in mix.Keys)
        {
            Assert.Equal(stats[name].Evaluated, saved.Operators![name].Evaluated);
            Assert.Equal(stats[name].ImprovedOnParent, saved.Operators[name].Improved);
        }

        // 1/5th rule, replayed over the literal children in evaluation order (lockstep): × exp(0.8 / 4) on a success,
        // × exp(−0.2 / 4) otherwise, from 0.1, kept within [1e-7, 1].
        var programs = await db.Candidates.AsNoTracking().Where(c => c.RunId == learning.Id).OrderBy(c => c.Sequence).ToListAsync(ct);
        var expected = LiteralStepSize.Initial;
        foreach (var child in programs.Where(c => c.Operator == "literal"))
        {
            var parent = programs.Single(p => p.Id == child.ParentId).Score;
            var improved = child.Score is { } score && score > parent;
            expected = Math.Clamp(expected * Math.Exp(((improved ? 1.0 : 0.0) - 0.2) / 4), LiteralStepSize.Smallest, LiteralStepSize.Largest);
        }

        Assert.Equal(expected, saved.StepScale, expected * 1e-9);
    }

    [Theory]
    [InlineData("grid", 64)]
    [InlineData("cvt", 16)]
    public async Task Run_LearnedBounds_TheSeedSitsMidGridAndTheCellCountersMatchTheStore(string layout, int cellsPerIsland)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = new EngineHarness(await stores.CreateStoreAsync(StoreProvider.Sqlite, ct), new QuadraticEvaluator());
        var problem = await harness.AddProblemAsync(QuadraticEvaluator.Seed, ct);
        await harness.StartAsync(ct);

        var settings = new RunSettings { MaxEvaluations = 40, Islands = 2, ArchiveLayout = layout, CvtCells = 16 };
        var run = await harness.Control.StartAsync(problem.Id, settings, "cells", ct);
        var done = await harness.WaitForEndAsync(run.Id, s_timeout, ct);

        await using var db = harness.Store.CreateDbContext();
        var seed = await db.Candidates.AsNoTracking().SingleAsync(c => c.RunId == run.Id && c.Sequence == 1, ct);
        var cells = await db.ArchiveCells.AsNoTracking().Where(c => c.RunId == run.Id).ToListAsync(ct);
        Assert.Equal(2L * cellsPerIsland, done.Statistics.ReachableCells);
        Assert.Equal(cells.Count, done.Statistics.FilledCells);
        if (layout == "grid")
        {
            // The default dimensions (complexity, code length; 8 log bins) fitted to [v / 2, 2 v] around the seed.
            Assert.Equal("4-4", seed.CellKey);
        }
        else
        {
            Assert.All(cells, c => Assert.Matches("^c([0-9]|1[0-5])$", c.CellKey));
        }
    }
}
