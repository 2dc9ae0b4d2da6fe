using System.Diagnostics;
using EvoCode.Evaluators.Contract;
using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Mutation;
using EvoCode.Evolver.Persistence;
using EvoCode.Evolver.Search;
using EvoCode.Evolver.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace EvoCode.Evolver.Engine;

/// <summary>
/// The evaluation stage: runs a pending program in the sandbox through the problem's evaluator and commits the
/// result, its archive placement, the run's counters and the stream events in one transaction.
/// </summary>
internal sealed partial class EvaluationStage(RunState state, IDbContextFactory<EvoCodeDbContext> contexts, ICandidateRunner runner, RunEventHub hub, ILogger logger)
{
    public async Task<EvaluationResult> EvaluateAsync(Candidate candidate, CancellationToken cancellationToken)
    {
        using var span = EvoCodeTelemetry.StartCandidateStage("evaluate", candidate.Id, last: false);
        var settings = state.Settings;
        var descriptor = state.Evaluator.Descriptor;
        var context = new EvaluationContext(
            Seed: unchecked((settings.Seed * 31) + (int)candidate.Sequence),
            Limits: settings.EvaluationTimeoutSeconds is { } seconds ? descriptor.DefaultLimits with { WallTime = TimeSpan.FromSeconds(seconds) } : null);
        var watch = Stopwatch.StartNew();
        try
        {
            var result = await state.Evaluator.EvaluateAsync(candidate.Source, runner, context, cancellationToken);
            return result.RequireFinite() with { RunTime = result.RunTime == TimeSpan.Zero ? watch.Elapsed : result.RunTime };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // An evaluator that crashes fails this program, with the reason kept; the run goes on.
            LogEvaluatorCrashed(logger, e, state.RunId, candidate.Id);
            return EvaluationResult.Incorrect($"The evaluator failed: {e.GetType().Name}: {e.Message}", RunOutcome.Crashed) with { RunTime = watch.Elapsed };
        }
    }

    public async Task CommitAsync(Candidate candidate, EvaluationResult result, CancellationToken cancellationToken)
    {
        using var span = EvoCodeTelemetry.StartCandidateStage("commit", candidate.Id, last: true);
        var features = new Dictionary<string, double>(result.Features);
        foreach (var (name, value) in CodeFeatures.Measure(candidate.Source, state.Language))
        {
            features.TryAdd(name, value);
        }

        var correct = result.Correct;
        var error = result.Error;
        string? cellKey = null;
        if (correct)
        {
            state.FitGrid(candidate.Sequence, features);
            cellKey = state.Grid.CellKey(features, out var missing);
            if (cellKey is null)
            {
                error = $"The evaluator reported no value for the archive's feature '{missing}'.";
            }
        }

        var runId = state.RunId;
        await state.Lock.WaitAsync(cancellationToken);
        state.Checkpoint();
        var committed = false;
        try
        {
            var watch = Stopwatch.StartNew();
            var now = state.Time.GetUtcNow();
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

            var row = await db.Candidates.SingleAsync(c => c.Id == candidate.Id, cancellationToken);
            if (row.State != CandidateState.Pending)
            {
                // Another worker committed it first: never count an evaluation twice.
                return;
            }

            row.State = CandidateState.Evaluated;
            row.Outcome = result.Outcome.ToString();
            row.Correct = correct;
            row.Score = correct ? result.Score : null;
            row.Metrics = new Dictionary<string, double>(result.Metrics.Where(m => double.IsFinite(m.Value)));
            row.Features = new Dictionary<string, double>(features.Where(f => double.IsFinite(f.Value)));
            row.Artifacts = [.. result.Artifacts.Select(a => new StoredArtifact(a.Name, a.MediaType, a.Content, a.ForModel))];
            row.Error = error;
            row.CellKey = cellKey;
            row.EvaluatedAt = now;
            row.Timings = row.Timings with { EvaluateMs = result.RunTime.TotalMilliseconds };

            var becameElite = correct && cellKey is not null
                && await ArchiveStore.TryPlaceEliteAsync(db, runId, row.Island, cellKey, row.Id, result.Score, now, cancellationToken,
                    neutral: state.Islands[row.Island].AcceptsNeutral(cellKey, result.Score, state.Run.Evaluations, state.Settings.NeutralAge));
            row.BecameElite = becameElite;

            var run = state.Run;
            var previousBest = run.BestScore;
            var newBest = correct && (previousBest is null || result.Score > previousBest);
            double? parentScore = null;
            if (row.ParentId is { } parentId)
            {
                parentScore = await db.Candidates.Where(c => c.Id == parentId).Select(c => c.Score).SingleOrDefaultAsync(cancellationToken);
            }

            run.Evaluations++;
            if (newBest)
            {
                run.BestScore = result.Score;
                run.BestCandidateId = row.Id;
                run.Statistics.BestImprovedAt = run.Evaluations;
                run.Improvements++;
            }

            var stats = run.Statistics;
            ArchiveStatistics.Count(state, row.Island, cellKey, becameElite);
            stats.Count(stats.Outcomes, result.Outcome == RunOutcome.Ok && !correct ? "Incorrect" : result.Outcome.ToString());
            stats.EvaluateMs += result.RunTime.TotalMilliseconds;
            foreach (var table in row.Model is null ? [stats.Operators] : new[] { stats.Operators, stats.Models })
            {
                var s = stats.For(table, table == stats.Models ? row.Model! : row.Operator);
                s.Evaluated++;
                s.Correct += correct ? 1 : 0;
                s.Elites += becameElite ? 1 : 0;
                s.ImprovedOnParent += correct && parentScore is { } p && result.Score > p ? 1 : 0;
            }

            var events = new List<(string Kind, object Data)>
            {
                (RunEventKinds.Evaluated, new { candidateId = row.Id, sequence = row.Sequence, island = row.Island, op = row.Operator, outcome = row.Outcome, correct, score = row.Score, evaluations = run.Evaluations }),
            };
            if (becameElite)
            {
                events.Add((RunEventKinds.NewElite, new { candidateId = row.Id, island = row.Island, cellKey, score = result.Score }));
            }

            if (newBest)
            {
                events.Add((RunEventKinds.NewBest, new { candidateId = row.Id, score = result.Score, previous = previousBest, evaluations = run.Evaluations }));
            }

            RunEvents.Add(db, runId, now, events);
            state.AttachCounters(db);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            committed = true;
            EvoCodeTelemetry.RecordEvaluation(row.Outcome, correct, result.RunTime);
            if (newBest)
            {
                RunLog.NewBest(logger, runId, result.Score, row.Operator, run.Evaluations, row.Id, previousBest);
            }

            // The store accepted it: now mirror it in memory.
            if (correct && cellKey is not null)
            {
                ArchiveStatistics.Mirror(state, new Elite(row.Id, row.Island, cellKey, result.Score, row.CodeHash, row.Generation), becameElite);
            }

            if (row.ParentId is { } parent && row.Island < state.Islands.Length)
            {
                state.Islands[row.Island].CountChild(parent);
            }

            stats.StoreMs += watch.Elapsed.TotalMilliseconds;
            state.Operators.Reward?.Invoke(
                new Proposal { Operator = row.Operator, Model = row.Model, Cost = row.Cost, Source = row.Source },
                parentScore,
                correct ? result.Score : null);
        }
        catch when (!committed)
        {
            // The store did not take it: memory must keep matching the store. After the commit, memory already
            // matches it, so a failure there (telemetry, the in-memory archive) must not roll the counters back.
            state.Rollback();
            throw;
        }
        finally
        {
            state.Lock.Release();
        }

        hub.Notify(runId);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: the evaluator crashed on program {CandidateId}")]
    private static partial void LogEvaluatorCrashed(ILogger logger, Exception exception, Guid runId, Guid candidateId);
}
