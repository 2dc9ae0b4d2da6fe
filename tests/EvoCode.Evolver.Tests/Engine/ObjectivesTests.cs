using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Engine;
using EvoCode.Evolver.Persistence;
using EvoCode.Evolver.Search;
using EvoCode.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvoCode.Evolver.Tests.Engine;

/// <summary>Issue 19 item 1 (ADR-024): several objectives, per-cell fronts, Pareto selection, on the real run loop and store.</summary>
public sealed class ObjectivesTests(StoreFixture stores)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);

    // The quadratic's score against the length of its evolve block: nudged literals trade digits for fitness.
    private static readonly Objective[] s_objectives = [new(Objective.Score, Objective.Maximize), new(Objective.Length, Objective.Minimize)];

    private static RunSettings Settings(int frontSize, int evaluations = 80, string selection = "power-law") => new()
    {
        MaxEvaluations = evaluations,
        Islands = 2,
        MigrationInterval = 20,
        IslandStagnation = null,
        Objectives = s_objectives,
        FrontSize = frontSize,
        ParentSelection = selection,
    };

    [Theory]
    [MemberData(nameof(StoreFixture.Providers), MemberType = typeof(StoreFixture))]
    public async Task Run_TwoObjectives_EveryStoredCellFrontIsMutuallyNonDominatedAndWithinFrontSize(StoreProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = new EngineHarness(await stores.CreateStoreAsync(provider, ct), new QuadraticEvaluator());
        var problem = await harness.AddProblemAsync(QuadraticEvaluator.Seed, ct);
        await harness.StartAsync(ct);

        var run = await harness.Control.StartAsync(problem.Id, Settings(frontSize: 2), "fronts", ct);
        var done = await harness.WaitForEndAsync(run.Id, s_timeout, ct);

        Assert.Equal(RunStatus.Completed, done.Status);
        await using var db = harness.Store.CreateDbContext();
        var fronts = await StoredFrontsAsync(db, run.Id, ct);
        Assert.NotEmpty(fronts);
        Assert.Contains(fronts, f => f.Count == 2);
        AssertFrontsHold(fronts, frontSize: 2);

        // Every correct program carries the built-in objective metrics its front was decided on.
        var correct = await db.Candidates.AsNoTracking().Where(c => c.RunId == run.Id && c.Correct == true).ToListAsync(ct);
        Assert.All(correct, c => Assert.True(c.Metrics.ContainsKey(Objective.Length) && c.Metrics.ContainsKey(Objective.EvaluateMs)));
    }

    [Fact]
    public async Task Run_TwoObjectives_TheRunFrontIsExactlyTheNonDominatedSetOfItsCorrectPrograms()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = new EngineHarness(await stores.CreateStoreAsync(StoreProvider.Sqlite, ct), new QuadraticEvaluator());
        var problem = await harness.AddProblemAsync(QuadraticEvaluator.Seed, ct);
        await harness.StartAsync(ct);

        // Fronts large enough that crowding never pushes a non-dominated program out.
        var run = await harness.Control.StartAsync(problem.Id, Settings(frontSize: 256), "run front", ct);
        var done = await harness.WaitForEndAsync(run.Id, s_timeout, ct);

        await using var db = harness.Store.CreateDbContext();
        var programs = await db.Candidates.AsNoTracking().Where(c => c.RunId == run.Id && c.Correct == true).OrderBy(c => c.Sequence).ToListAsync(ct);
        var values = programs.Select(p => (IReadOnlyList<double>)[p.Score!.Value, -p.Metrics[Objective.Length]]).ToList();
        var expected = Pareto.NonDominated(values).Select(i => programs[i].Id).ToList();

        var front = await RunFront.ReadAsync(db, done, ct);

        Assert.Equal(s_objectives, front.Objectives);
        Assert.True(expected.Count >= 2, $"A trade-off needs two programs on the front; got {expected.Count}.");
        Assert.Equal(expected, front.Programs.Select(p => p.Id));
        foreach (var p in front.Programs)
        {
            var program = programs.Single(c => c.Id == p.Id);
            Assert.Equal([program.Score!.Value, program.Metrics[Objective.Length]], p.Values);
            Assert.Equal(program.CellKey, p.CellKey);
            Assert.Equal(program.Island, p.Island);
        }
    }

    [Fact]
    public async Task Run_ParetoSelection_EveryParentWasNonDominatedInItsCellWhenItsChildWasProposed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = new EngineHarness(await stores.CreateStoreAsync(StoreProvider.Sqlite, ct), new QuadraticEvaluator());
        var problem = await harness.AddProblemAsync(QuadraticEvaluator.Seed, ct);
        await harness.StartAsync(ct);

        var run = await harness.Control.StartAsync(problem.Id, Settings(frontSize: 3, evaluations: 60, selection: "pareto"), "pareto", ct);
        var done = await harness.WaitForEndAsync(run.Id, s_timeout, ct);

        Assert.Equal(RunStatus.Completed, done.Status);
        await using var db = harness.Store.CreateDbContext();
        var programs = await db.Candidates.AsNoTracking().Include(c => c.Parents).Where(c => c.RunId == run.Id).OrderBy(c => c.Sequence).ToListAsync(ct);
        var byId = programs.ToDictionary(p => p.Id);
        var children = programs.Where(p => p.Operator is not ("seed" or "migration" or "restart") && p.ParentId is not null).ToList();
        Assert.True(children.Count >= 40);
        foreach (var child in children)
        {
            foreach (var parent in child.Parents.Select(p => byId[p.ParentId]))
            {
                // One proposal and one evaluation at a time: every program of the parent's cell stored before the child was evaluated when it was drawn.
                Assert.True(parent.Correct == true && parent.CellKey is not null);
                var rivals = programs.Where(p => p.Sequence < child.Sequence && p.Correct == true && p.Island == parent.Island && p.CellKey == parent.CellKey);
                Assert.DoesNotContain(rivals, r => Pareto.Dominates(Oriented(r), Oriented(parent)));
            }
        }

        AssertFrontsHold(await StoredFrontsAsync(db, run.Id, ct), frontSize: 3);
    }

    [Theory]
    [MemberData(nameof(StoreFixture.Providers), MemberType = typeof(StoreFixture))]
    public async Task Run_Resumed_RebuildsTheStoredFrontsAndKeepsThemSound(StoreProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var store = await stores.CreateStoreAsync(provider, ct);
        var evaluator = new QuadraticEvaluator();
        evaluator.HoldAfter(30);
        Guid runId;
        await using (var first = new EngineHarness(store, evaluator))
        {
            var problem = await first.AddProblemAsync(QuadraticEvaluator.Seed, ct);
            await first.StartAsync(ct);
            var run = await first.Control.StartAsync(problem.Id, Settings(frontSize: 2, evaluations: 70), "resume", ct);
            runId = run.Id;
            await first.WaitForEvaluationsAsync(run.Id, 30, s_timeout, ct);
        }

        await using var second = new EngineHarness(store, evaluator);
        await using (var db = store.CreateDbContext())
        {
            var stored = await StoredFrontsAsync(db, runId, ct);
            var row = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == runId, ct);
            using var stop = new CancellationTokenSource();
            var fence = new RunFence(runId, row.OwnerEpoch, stop, NullLogger.Instance);
            var (state, _) = await RunState.LoadAsync(fence, db, second.Get<IEvaluatorResolver>(), second.Get<IOperatorSource>(), TimeProvider.System, ct);

            // The same members, cell by cell, in the same order.
            string Key(int island, string cell) => $"{island}/{cell}";
            var rebuilt = state!.Islands.SelectMany(i => i.Fronts.Cells.Select(c => (Key: Key(i.Island, c), Ids: i.Fronts[c].Select(m => m.Program.Id).ToList())))
                .Where(f => f.Ids.Count > 0).OrderBy(f => f.Key, StringComparer.Ordinal).ToList();
            var expected = stored.Select(f => (Key: Key(f[0].Island, f[0].CellKey!), Ids: f.Select(m => m.Id).ToList())).OrderBy(f => f.Key, StringComparer.Ordinal).ToList();
            Assert.NotEmpty(expected);
            Assert.Equal(expected.Select(f => f.Key), rebuilt.Select(f => f.Key));
            Assert.Equal(expected.Select(f => f.Ids), rebuilt.Select(f => f.Ids));
        }

        evaluator.Release();
        await second.StartAsync(ct);
        var done = await second.WaitForEndAsync(runId, s_timeout, ct);

        Assert.Equal(RunStatus.Completed, done.Status);
        Assert.Equal(70, done.Evaluations);
        await using var check = store.CreateDbContext();
        AssertFrontsHold(await StoredFrontsAsync(check, runId, ct), frontSize: 2);
    }

    [Fact]
    public async Task Run_NoObjectives_StoresNoFrontAndTheFrontIsTheBestProgram()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = new EngineHarness(await stores.CreateStoreAsync(StoreProvider.Sqlite, ct), new QuadraticEvaluator());
        var problem = await harness.AddProblemAsync(QuadraticEvaluator.Seed, ct);
        await harness.StartAsync(ct);

        var run = await harness.Control.StartAsync(problem.Id, new RunSettings { MaxEvaluations = 30, Islands = 1 }, "scalar", ct);
        var done = await harness.WaitForEndAsync(run.Id, s_timeout, ct);

        await using var db = harness.Store.CreateDbContext();
        Assert.Equal(0, await db.FrontMembers.CountAsync(m => m.RunId == run.Id, ct));
        Assert.DoesNotContain(await db.Candidates.AsNoTracking().Where(c => c.RunId == run.Id).ToListAsync(ct), c => c.Metrics.ContainsKey(Objective.Length));
        var front = await RunFront.ReadAsync(db, done, ct);
        Assert.Equal([new Objective(Objective.Score, Objective.Maximize)], front.Objectives);
        Assert.Equal([done.BestCandidateId!.Value], front.Programs.Select(p => p.Id));
        Assert.Equal([done.BestScore!.Value], front.Programs.Single().Values);
    }

    private static double[] Oriented(Candidate c) => ObjectiveValues.Oriented(s_objectives, c.Score, c.Metrics)!;

    /// <summary>The stored fronts, one list of programs per island and cell, each in sequence order.</summary>
    private static async Task<List<List<Candidate>>> StoredFrontsAsync(EvoCodeDbContext db, Guid runId, CancellationToken ct)
    {
        var members = await (from m in db.FrontMembers.AsNoTracking()
                             join c in db.Candidates.AsNoTracking() on m.CandidateId equals c.Id
                             where m.RunId == runId
                             select new { m.Island, m.CellKey, Program = c })
            .ToListAsync(ct);
        Assert.All(members, m => Assert.Equal((m.Island, m.CellKey), (m.Program.Island, m.Program.CellKey!)));
        return [.. members.GroupBy(m => (m.Island, m.CellKey)).Select(g => g.Select(m => m.Program).OrderBy(p => p.Sequence).ToList())];
    }

    private static void AssertFrontsHold(List<List<Candidate>> fronts, int frontSize)
    {
        foreach (var front in fronts)
        {
            Assert.InRange(front.Count, 1, frontSize);
            Assert.All(front, p => Assert.True(p.Correct));
            foreach (var a in front)
            {
                Assert.DoesNotContain(front, b => Pareto.Dominates(Oriented(b), Oriented(a)));
            }
        }
    }
}
