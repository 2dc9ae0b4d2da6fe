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
/// result, its archive placement, the run's counters and the stream events in one transaction, fenced (ADR-021):
/// it lands only while the loop's owner epoch holds the run and the program is still Pending.
/// </summary>
internal sealed partial class EvaluationStage(RunState state, IDbContextFactory<EvoCodeDbContext> contexts, ICandidateRunner runner, RunEventHub hub, ILogger logger)
{
    /// <summary>
    /// Evaluates a stored program if it is still pending and commits the result (a commit that fails is worth one
    /// more try before the program is left pending for the next resume). Returns whether a result was committed.
    /// </summary>
    /// <param name="clock">The evaluation slot's timeline, started where the program was queued.</param>
    public async Task<bool> EvaluatePendingAsync(Guid candidateId, SlotClock clock, CancellationToken cancellationToken)
    {
        Candidate? candidate;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            candidate = await db.Candidates.AsNoTracking().SingleOrDefaultAsync(c => c.Id == candidateId, cancellationToken);
        }

        if (candidate is not { State: CandidateState.Pending })
        {
            return false;
        }

        var evaluation = await EvaluateAsync(candidate, clock, cancellationToken);
        try
        {
            await CommitAsync(candidate, evaluation, clock, cancellationToken);
        }
        catch (DbUpdateException e)
        {
            // The retry's commit lap still starts at the evaluation's end: the failed try and the wait are commit time.
            LogCommitRetried(logger, e, state.RunId, candidate.Id);
            await Task.Delay(TimeSpan.FromMilliseconds(100), state.Time, cancellationToken);
            await CommitAsync(candidate, evaluation, clock, cancellationToken);
        }

        return true;
    }

    /// <summary>
    /// Evaluates a pending program; the timings hold its store, queue, compile, run and score times. The queue wait
    /// is the lap of <paramref name="clock"/> up to here (it started where the program was queued), the worker's wait
    /// inside the evaluator added; the evaluator's own lap splits into compile, run and score.
    /// </summary>
    public async Task<Evaluation> EvaluateAsync(Candidate candidate, SlotClock clock, CancellationToken cancellationToken)
    {
        // A program stored before this loop keeps the store time its proposal recorded.
        var storeMs = state.StoreTimes.TryRemove(candidate.Id, out var stored) ? stored : candidate.Timings.StoreMs;
        var queued = clock.Lap();
        using var span = EvoCodeTelemetry.StartCandidateStage("evaluate", candidate.Id, last: false);
        var settings = state.Settings;
        var descriptor = state.Evaluator.Descriptor;
        var context = new EvaluationContext(
            Seed: unchecked((settings.Seed * 31) + (int)candidate.Sequence),
            Limits: settings.EvaluationTimeoutSeconds is { } seconds ? descriptor.DefaultLimits with { WallTime = TimeSpan.FromSeconds(seconds) } : null);
        var sandbox = new MeteredRunner(runner);
        var started = clock.Mark;
        EvaluationResult result;
        try
        {
            result = await state.Evaluator.EvaluateAsync(candidate.Source, sandbox, context, cancellationToken);
            result = result.RequireFinite() with { RunTime = result.RunTime == TimeSpan.Zero ? state.Time.GetElapsedTime(started) : result.RunTime };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // An evaluator that crashes fails this program, with the reason kept; the run goes on.
            LogEvaluatorCrashed(logger, e, state.RunId, candidate.Id);
            result = EvaluationResult.Incorrect($"The evaluator failed: {e.GetType().Name}: {e.Message}", RunOutcome.Crashed) with { RunTime = state.Time.GetElapsedTime(started) };
        }

        // The evaluator's wall splits into the sandbox's parts and its own scoring; the wait for a worker is queueing.
        var wall = TimeSpan.FromMilliseconds(clock.Lap());
        var scoring = wall - sandbox.WorkerWait - sandbox.Compile - sandbox.Run;
        var scoreMs = Math.Max(0, scoring.TotalMilliseconds);
        var timings = candidate.Timings with
        {
            StoreMs = storeMs,
            QueueMs = queued + sandbox.WorkerWait.TotalMilliseconds,
            CompileMs = sandbox.Compile.TotalMilliseconds,
            CompileCached = sandbox.CompileCached,
            RunMs = sandbox.Run.TotalMilliseconds,
            ScoreMs = scoreMs,
            EvaluateMs = sandbox.Compile.TotalMilliseconds + sandbox.Run.TotalMilliseconds + scoreMs,
        };
        return new Evaluation(result, timings, sandbox.Compiles);
    }

    /// <summary>
    /// Commits an evaluation. Its commit time runs from the evaluation's end (the mark of <paramref name="clock"/>):
    /// the program's until its row is written, the run's until the store and memory agree (the lap).
    /// </summary>
    public async Task CommitAsync(Candidate candidate, Evaluation evaluation, SlotClock clock, CancellationToken cancellationToken)
    {
        var started = clock.Mark;
        var (result, timings, compiles) = evaluation;
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
            if (correct && state.Settings.Objectives is { Count: > 0 })
            {
                // Several objectives: the built-in ones are measured once, here (an evaluator's own metric wins).
                foreach (var (name, value) in ObjectiveValues.Measure(row.Source, state.Language, timings.EvaluateMs))
                {
                    row.Metrics.TryAdd(name, value);
                }
            }

            row.Features = new Dictionary<string, double>(features.Where(f => double.IsFinite(f.Value)));
            row.Artifacts = [.. result.Artifacts.Select(a => new StoredArtifact(a.Name, a.MediaType, a.Content, a.ForModel))];
            row.Error = error;
            row.CellKey = cellKey;
            row.EvaluatedAt = now;

            var becameElite = correct && cellKey is not null
                && await ArchiveStore.TryPlaceEliteAsync(db, runId, row.Island, cellKey, row.Id, result.Score, now, cancellationToken,
                    neutral: state.Islands[row.Island].AcceptsNeutral(cellKey, result.Score, state.Run.Evaluations, state.Settings.NeutralAge));
            row.BecameElite = becameElite;
            var front = correct && cellKey is not null ? FrontPlacement.Plan(state, row, cellKey) : null;
            await FrontPlacement.StoreAsync(db, runId, front, cancellationToken);

            var run = state.Run;
            var previousBest = run.BestScore;
            var newBest = correct && (previousBest is null || result.Score > previousBest);
            double? parentScore = null;
            if (row.ParentId is { } parentId)
            {
                parentScore = await db.Candidates.Where(c => c.Id == parentId).Select(c => c.Score).SingleOrDefaultAsync(cancellationToken);
            }

            run.Evaluations++;
            // The run's series grows with the commit that counts the evaluation (read by the dashboard, never scanned).
            db.RunSeries.Add(RunSeriesEntry.Of(row, run.Evaluations));
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
            stats.QueueMs += timings.QueueMs;
            stats.CountEvaluation(timings, compiles);
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

            state.AttachCounters(db);
            RunEvents.Add(db, runId, now, events);
            row.Timings = timings with { CommitMs = state.Time.GetElapsedTime(started).TotalMilliseconds };
            await state.Fence.SaveAsync(db, "evaluation commit", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            committed = true;
            EvoCodeTelemetry.RecordEvaluation(row.Outcome, correct, TimeSpan.FromMilliseconds(timings.EvaluateMs));
            if (newBest)
            {
                RunLog.NewBest(logger, runId, result.Score, row.Operator, run.Evaluations, row.Id, previousBest);
            }

            // The store accepted it: now mirror it in memory.
            if (correct && cellKey is not null)
            {
                ArchiveStatistics.Mirror(state, new Elite(row.Id, row.Island, cellKey, result.Score, row.CodeHash, row.Generation), becameElite);
                FrontPlacement.Apply(state, front);
            }

            if (row.ParentId is { } parent && row.Island < state.Islands.Length)
            {
                state.Islands[row.Island].CountChild(parent);
            }

            state.Operators.Reward?.Invoke(
                new Proposal { Operator = row.Operator, Model = row.Model, Cost = row.Cost, Source = row.Source },
                parentScore,
                correct ? result.Score : null);
            stats.CommitMs += clock.Lap();
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: committing the result of program {CandidateId} failed; trying once more")]
    private static partial void LogCommitRetried(ILogger logger, Exception exception, Guid runId, Guid candidateId);
}

/// <summary>
/// An evaluated program's verdict, where its time went from its store to the end of its evaluation, and the compiles
/// its source has cost in the sandbox so far.
/// </summary>
internal sealed record Evaluation(EvaluationResult Result, CandidateTimings Timings, int Compiles);
