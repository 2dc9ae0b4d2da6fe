using System.Text.Json;
using EvoCode.Evaluators.Contract;
using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Languages;
using EvoCode.Evolver.Llm;
using EvoCode.Evolver.Persistence;
using EvoCode.Evolver.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace EvoCode.Evolver.Engine;

/// <summary>
/// The orchestrator of one run: load its state from the store, build the parts, make sure the seed is evaluated,
/// drive the pipeline (<see cref="RunPipeline"/>) until the budget guard ends the run, and store the end. The
/// database is the truth: an unexpected exception rebuilds the loop from it with backoff (pending programs are
/// evaluated once and the run goes on), and after <see cref="MaxLoopAttempts"/> tries the run fails with the
/// reason. See <c>src/Evolver/README.md</c> for the parts.
/// </summary>
internal sealed partial class RunLoop(
    Guid runId,
    RunFence fence,
    IDbContextFactory<EvoCodeDbContext> contexts,
    IEvaluatorResolver evaluators,
    ICandidateRunner runner,
    IOperatorSource operatorSource,
    ICodeCheck? compileScreen,
    RunEventHub hub,
    TimeProvider time,
    EngineOptions options,
    ILogger logger)
{
    /// <summary>Tries of a run whose loop hits an unexpected exception, before the run fails with it.</summary>
    internal const int MaxLoopAttempts = 3;

    private RunState _state = null!;
    private BudgetGuard _budget = null!;
    private RunStore _store = null!;
    private EvaluationStage _evaluation = null!;
    private IslandMigration _migration = null!;
    private MetaMemorySchedule _meta = null!;
    private SeedStage _seed = null!;
    private ProposalStage _proposals = null!;

    /// <summary>
    /// Runs until a budget ends the run, the run fails, or <paramref name="stop"/> fires (pause, cancel, shutdown).
    /// An unexpected exception is retried from the store with backoff, then fails the run with its reason.
    /// </summary>
    public async Task RunAsync(CancellationToken stop)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await RunOnceAsync(stop);
                return;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Paused, cancelled or shutting down: pending programs stay pending and are evaluated on resume.
                return;
            }
            catch (Exception e) when (e is ArgumentException or FormatException or JsonException || attempt >= MaxLoopAttempts)
            {
                // A setting or stored state that cannot work fails at once; anything else after its last try.
                LogRunFailed(logger, e, runId);
                var reason = e is ArgumentException or FormatException or JsonException ? e.Message : $"The run loop failed {attempt} times; last: {e.GetType().Name}: {e.Message}";
                await RunStore.FinishAsync(contexts, hub, fence, RunStatus.Failed, reason, time.GetUtcNow(), CancellationToken.None);
                return;
            }
            catch (Exception e)
            {
                LogLoopRetry(logger, e, runId, attempt, MaxLoopAttempts);
                await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt - 1)), time, stop);
            }
            finally
            {
                await SaveCountersAsync();
            }
        }
    }

    private async Task RunOnceAsync(CancellationToken stop)
    {
        if (!await InitializeAsync(stop))
        {
            return;
        }

        // The loop's clock: the start, then the seed's parts, then whatever is left before the pipeline is start time.
        var clock = new SlotClock(time, _state.SegmentStart);
        _state.Run.Statistics.StartMs += clock.Lap();
        if (!await _seed.EnsureAsync(clock, stop))
        {
            return;
        }

        _state.Run.Statistics.StartMs += clock.Lap();
        await new RunPipeline(_state, _store, _evaluation, _migration, _meta, _proposals, _budget, time, logger).RunAsync(clock.Mark, stop);
        if (!stop.IsCancellationRequested && _budget.FinishReason is { } reason)
        {
            // The run was active until its pipeline ended; storing its end and counters is not active time.
            _state.EndSegment();
            var status = _budget.Stalled ? RunStatus.Failed : RunStatus.Completed;
            // The final counters land before the status does, so whoever sees the run ended sees what it spent and
            // how long it was active (the wall-time budget ended it at ActiveSeconds >= the limit, not at the last commit's).
            await _store.SaveCountersAsync();
            if (await RunStore.FinishAsync(contexts, hub, fence, status, reason, time.GetUtcNow(), CancellationToken.None))
            {
                LogRunFinished(logger, runId, status, reason);
                EvoCodeTelemetry.RecordRunStatus(status);
            }
        }
    }

    private async Task<bool> InitializeAsync(CancellationToken cancellationToken)
    {
        RunState? state;
        int pending;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            (state, pending) = await RunState.LoadAsync(fence, db, evaluators, operatorSource, time, cancellationToken);
        }

        if (state is null)
        {
            LogRunMissing(logger, runId);
            return false;
        }

        _state = state;
        _budget = new BudgetGuard(state, options.MaxFailedProposalsInRow);
        _budget.Start(state.Run.Evaluations + pending);
        // The language's screen (C#: compile and policy; Python: syntax); the compile-screen switch turns every screen off.
        var languageScreen = compileScreen is null ? null : state.Language.Screen(new ScreenServices(compileScreen, runner, state.Problem.EvaluatorParameters));
        _store = new RunStore(state, contexts, hub);
        _evaluation = new EvaluationStage(state, contexts, runner, hub, logger);
        var stats = state.Run.Statistics;
        var operators = ConstantTuning.Include(state.Operators, state, _budget, _evaluation, contexts);
        var policy = new OperatorPolicy(operators, state.Settings.FixShareCap, stats.Operators.Values.Sum(o => o.Proposed), stats.Operators.GetValueOrDefault(OperatorPolicy.FixOperator)?.Proposed ?? 0);
        _migration = new IslandMigration(state, contexts, _store);
        _meta = new MetaMemorySchedule(state, contexts);
        _seed = new SeedStage(state, contexts, hub, _budget, _store, _evaluation, _migration);
        _proposals = new ProposalStage(state, _budget, new ParentSampling(state), new RequestBuilder(state, contexts, options, languageScreen), policy, new ProposalScreen(state, languageScreen, options, SemanticNovelty.For(state, contexts)), _store, options);
        await _store.MarkStartedAsync(cancellationToken);
        LogRunStarted(logger, runId, state.Run.Evaluations, pending, state.Islands.Sum(i => i.Count));
        EvoCodeTelemetry.RecordRunStatus(RunStatus.Running);
        return true;
    }

    private async Task SaveCountersAsync()
    {
        if (_state is null)
        {
            return;
        }

        try
        {
            await _store.SaveCountersAsync();
        }
        catch (DbUpdateException e)
        {
            LogFinalSaveFailed(logger, e, runId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} started: {Evaluations} evaluated, {Pending} pending, {Cells} archive cells")]
    private static partial void LogRunStarted(ILogger logger, Guid runId, long evaluations, int pending, int cells);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} finished as {Status}: {Reason}")]
    private static partial void LogRunFinished(ILogger logger, Guid runId, RunStatus status, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} does not exist or has no problem")]
    private static partial void LogRunMissing(ILogger logger, Guid runId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {RunId} failed")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, Guid runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: the loop failed (try {Attempt} of {MaxAttempts}); it is rebuilt from the store after a pause")]
    private static partial void LogLoopRetry(ILogger logger, Exception exception, Guid runId, int attempt, int maxAttempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: storing the counters of a stopping loop failed")]
    private static partial void LogFinalSaveFailed(ILogger logger, Exception exception, Guid runId);
}
