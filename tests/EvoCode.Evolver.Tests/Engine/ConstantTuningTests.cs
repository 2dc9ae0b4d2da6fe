using EvoCode.Evaluators.Catalog;
using EvoCode.Evaluators.Contract;
using EvoCode.Evaluators.Examples;
using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Engine;
using EvoCode.Evolver.Persistence;
using EvoCode.Sandbox;
using EvoCode.Sandbox.Configuration;
using EvoCode.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EvoCode.Evolver.Tests.Engine;

/// <summary>Constant tuning on a real run: circle packing n = 26, built-in operators, the real jailed sandbox.</summary>
public sealed class ConstantTuningTests(StoreFixture stores)
{
    private const int Budget = 60;

    [Fact]
    public async Task Run_WithTuning_TunedChildrenScoreAtLeastTheirParentsAndEvaluationsAddUpExactly()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var runner = await SandboxRunner.StartNewAsync(new SandboxOptions { Workers = 2 }, cancellationToken: ct);
        await runner.WaitUntilWarmAsync(ct);
        var problem = ExampleProblems.ToProblem(ExampleLibrary.Load(Path.Combine(RepositoryRoot.Path, "examples", "circle-packing-26")), DateTimeOffset.UnixEpoch);
        var evaluator = new CatalogEvaluatorResolver(EvaluatorCatalog.Default).Resolve(problem);
        await using var harness = new EngineHarness(
            await stores.CreateStoreAsync(StoreProvider.Sqlite, ct),
            evaluator,
            (services, _) => services.AddSingleton<ICandidateRunner>(runner));
        await using (var db = harness.Store.CreateDbContext())
        {
            db.Problems.Add(problem);
            await db.SaveChangesAsync(ct);
        }

        await harness.StartAsync(ct);
        var settings = new RunSettings { MaxEvaluations = Budget, Islands = 1, TargetScore = null, TuningShare = 0.5, TuningEvaluations = 8, TuningMaxConstants = 4 };
        var run = await harness.Control.StartAsync(problem.Id, settings, "tuning", ct);
        var done = await harness.WaitForEndAsync(run.Id, TimeSpan.FromMinutes(5), ct);

        Assert.Equal(RunStatus.Completed, done.Status);
        Assert.Equal($"Reached the evaluation budget ({Budget}).", done.StatusReason);
        Assert.Equal(Budget, done.Evaluations);
        await using var read = harness.Store.CreateDbContext();
        var programs = await read.Candidates.AsNoTracking().Where(c => c.RunId == run.Id).ToListAsync(ct);
        Assert.DoesNotContain(programs, c => c.State == CandidateState.Pending);

        // Every evaluation is either a stored program's own or a tuning trial, and the outcomes count both.
        var evaluated = programs.Count(c => c.State == CandidateState.Evaluated && (c.Operator is not ("migration" or "seed") || c.Sequence == 1));
        var stats = done.Statistics;
        Assert.True(stats.TuningEvaluations > 0, "No tuning trial ran.");
        Assert.Equal(Budget, evaluated + stats.TuningEvaluations);
        Assert.Equal(Budget, stats.Outcomes.Values.Sum());

        // Each tuning spends at most its trials; every tuned child beat its parent in its own evaluation.
        var tune = stats.Operators[ConstantTuning.OperatorName];
        Assert.True(stats.TuningEvaluations <= settings.TuningEvaluations * tune.Proposed);
        var tuned = programs.Where(c => c.Operator == ConstantTuning.OperatorName).ToList();
        Assert.NotEmpty(tuned);
        Assert.Equal(tune.Proposed - tune.Rejected, tuned.Count);
        foreach (var child in tuned)
        {
            var parent = programs.Single(p => p.Id == child.ParentId);
            Assert.True(child.Correct == true && child.Score >= parent.Score, $"Tuned child {child.Sequence} scored {child.Score}, its parent {parent.Score}.");
        }

        Assert.Equal(programs.Where(c => c.Score is not null).Max(c => c.Score), done.BestScore);
    }
}
