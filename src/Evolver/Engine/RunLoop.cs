using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using EvoCode.Evaluators.Contract;
using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Languages;
using EvoCode.Evolver.Llm;
using EvoCode.Evolver.Mutation;
using EvoCode.Evolver.Persistence;
using EvoCode.Evolver.Search;
using EvoCode.Evolver.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace EvoCode.Evolver.Engine;

/// <summary>
/// The orchestrator of one run's steady-state pipeline: proposal workers sample parents, let the operator
/// policy pick an operator, screen the child and store it as pending; evaluation workers take ids from a
/// bounded channel and hand them to the evaluation stage. The budget guard says when to stop; every model
/// call goes through the run's ledger. The database is the truth: a loop rebuilt from it after a crash
/// evaluates the pending programs once and goes on. See <c>src/Evolver/README.md</c> for the parts.
/// </summary>
internal sealed partial class RunLoop(
    Guid runId,
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
    private const string SeedOperator = "seed";

    /// <summary>Tries of a run whose loop hits an unexpected exception, before the run fails with it.</summary>
    internal const int MaxLoopAttempts = 3;

    /// <summary>Failed iterations in a row a worker survives (with backoff) before the loop gives up on this attempt.</summary>
    private const int MaxFailedIterations = 5;

    private RunState _state = null!;
    private BudgetGuard _budget = null!;
    private ParentSampling _sampling = null!;
    private RequestBuilder _requests = null!;
    private OperatorPolicy _policy = null!;
    private ProposalScreen _screen = null!;
    private RunStore _store = null!;
    private EvaluationStage _evaluation = null!;
    private IslandMigration _migration = null!;
    private MetaMemorySchedule _meta = null!;

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
                await RunStore.FinishAsync(contexts, hub, runId, RunStatus.Failed, reason, time.GetUtcNow(), CancellationToken.None);
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
        if (!await InitializeAsync(stop) || !await EnsureSeedAsync(stop))
        {
            return;
        }

        await PipelineAsync(stop);
        if (!stop.IsCancellationRequested && _budget.FinishReason is { } reason)
        {
            var status = _budget.Stalled ? RunStatus.Failed : RunStatus.Completed;
            if (await RunStore.FinishAsync(contexts, hub, runId, status, reason, time.GetUtcNow(), CancellationToken.None))
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
            (state, pending) = await RunState.LoadAsync(runId, db, evaluators, operatorSource, time, cancellationToken);
        }

        if (state is null)
        {
            LogRunMissing(logger, runId);
            return false;
        }

        _state = state;
        _budget = new BudgetGuard(state, options.MaxFailedProposalsInRow);
        _budget.Start(state.Run.Evaluations + pending);
        _sampling = new ParentSampling(state);
        // The language's screen (C#: compile and policy; Python: syntax); the compile-screen switch turns every screen off.
        var languageScreen = compileScreen is null ? null : state.Language.Screen(new ScreenServices(compileScreen, runner, state.Problem.EvaluatorParameters));
        _requests = new RequestBuilder(state, contexts, options, languageScreen);
        _screen = new ProposalScreen(state, languageScreen, options, SemanticNovelty.For(state, contexts));
        _store = new RunStore(state, contexts, hub);
        _evaluation = new EvaluationStage(state, contexts, runner, hub, logger);
        var stats = state.Run.Statistics;
        var operators = ConstantTuning.Include(state.Operators, state, _budget, _evaluation, contexts);
        _policy = new OperatorPolicy(operators, state.Settings.FixShareCap, stats.Operators.Values.Sum(o => o.Proposed), stats.Operators.GetValueOrDefault(OperatorPolicy.FixOperator)?.Proposed ?? 0);
        _migration = new IslandMigration(state, contexts, _store);
        _meta = new MetaMemorySchedule(state, contexts);
        await _store.MarkStartedAsync(cancellationToken);
        LogRunStarted(logger, runId, state.Run.Evaluations, pending, state.Islands.Sum(i => i.Count));
        EvoCodeTelemetry.RecordRunStatus(RunStatus.Running);
        return true;
    }

    /// <summary>Evaluates the seed once and places it on every island, or fails the run when the seed does not work.</summary>
    private async Task<bool> EnsureSeedAsync(CancellationToken cancellationToken)
    {
        Candidate? seed;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            seed = await db.Candidates.AsNoTracking().SingleOrDefaultAsync(c => c.RunId == runId && c.Sequence == 1, cancellationToken);
        }

        if (seed is null)
        {
            var source = _state.Problem.SeedSource;
            seed = new Candidate
            {
                Id = Guid.NewGuid(),
                RunId = runId,
                Island = 0,
                Operator = SeedOperator,
                Source = source,
                CodeHash = CodeFingerprint.Of(source, _state.Language).Hash,
                State = CandidateState.Pending,
            };
            _budget.TakeSlotUnchecked();
            await _store.StoreProposalAsync(seed, 0, cancellationToken);
        }

        if (seed.State == CandidateState.Pending)
        {
            await _evaluation.CommitAsync(seed, await _evaluation.EvaluateAsync(seed, cancellationToken), cancellationToken);
        }

        if (_state.Islands[0].Count == 0)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var stored = await db.Candidates.AsNoTracking().Where(c => c.Id == seed.Id).Select(c => new { c.Correct, c.Outcome, c.Error }).SingleAsync(cancellationToken);
            var reason = stored.Correct == true
                ? $"The seed program was evaluated but fits no archive cell: {stored.Error}"
                : $"The seed program does not evaluate correctly ({stored.Outcome}): {stored.Error}";
            await RunStore.FinishAsync(contexts, hub, runId, RunStatus.Failed, reason, time.GetUtcNow(), cancellationToken);
            return false;
        }

        // Every island starts from the seed; copies share its evaluation, so no evaluation is spent twice.
        for (var island = 1; island < _state.Islands.Length; island++)
        {
            if (_state.Islands[island].Count == 0)
            {
                await _migration.MigrateAsync(_state.Islands[0].Best, island, SeedOperator, cancellationToken);
            }
        }

        await SeedFromRun.StoreAsync(_state, _budget, _store, contexts, cancellationToken);

        return true;
    }

    private async Task PipelineAsync(CancellationToken stop)
    {
        var settings = _state.Settings;
        var lockstep = settings.ProposalConcurrency <= 1 && settings.EvaluationConcurrency <= 1;
        var queue = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(Math.Max(1, settings.EvaluationConcurrency))
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = settings.EvaluationConcurrency <= 1,
        });

        // A worker that gives up stops the others, so the loop can be retried from the store.
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var evaluationWorkers = Enumerable.Range(0, Math.Max(1, settings.EvaluationConcurrency))
            .Select(_ => Task.Run(() => EvaluationWorkerAsync(queue.Reader, failed), CancellationToken.None))
            .ToList();
        try
        {
            // Programs stored before a crash or a pause are evaluated first, each exactly once.
            List<Guid> pending;
            await using (var db = await contexts.CreateDbContextAsync(stop))
            {
                pending = await db.Candidates.AsNoTracking()
                    .Where(c => c.RunId == runId && c.State == CandidateState.Pending)
                    .OrderBy(c => c.Sequence)
                    .Select(c => c.Id)
                    .ToListAsync(stop);
            }

            foreach (var id in pending)
            {
                var item = new WorkItem(id);
                await queue.Writer.WriteAsync(item, stop);
                if (lockstep)
                {
                    await item.Done.Task.WaitAsync(stop);
                }
            }

            var proposers = Enumerable.Range(0, Math.Max(1, settings.ProposalConcurrency))
                .Select(_ => Task.Run(() => ProposalWorkerAsync(queue.Writer, lockstep, failed), CancellationToken.None))
                .ToList();
            await Task.WhenAll(proposers);
        }
        finally
        {
            queue.Writer.TryComplete();
            await Task.WhenAll(evaluationWorkers);
        }

        stop.ThrowIfCancellationRequested();
    }

    private sealed class WorkItem(Guid candidateId)
    {
        public Guid CandidateId { get; } = candidateId;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private async Task ProposalWorkerAsync(ChannelWriter<WorkItem> queue, bool lockstep, CancellationTokenSource failed)
    {
        var stop = failed.Token;
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await _meta.MaybeSummarizeAsync(stop);
                var candidate = await ProposeAsync(stop);
                failures = 0;
                if (candidate is null)
                {
                    if (_budget.FinishReason is not null)
                    {
                        return;
                    }

                    continue;
                }

                var item = new WorkItem(candidate.Id);
                await queue.WriteAsync(item, stop);
                if (lockstep)
                {
                    await item.Done.Task.WaitAsync(stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException && ++failures < MaxFailedIterations)
            {
                // One failed iteration costs one proposal, never the run; repeated failures back off, then end this attempt.
                LogIterationFailed(logger, e, runId, "proposal");
                await Task.Delay(TimeSpan.FromMilliseconds(200 * Math.Pow(2, failures - 1)), time, stop);
            }
            catch
            {
                await failed.CancelAsync();
                throw;
            }
        }
    }

    private async Task EvaluationWorkerAsync(ChannelReader<WorkItem> queue, CancellationTokenSource failed)
    {
        var stop = failed.Token;
        try
        {
            await foreach (var item in queue.ReadAllAsync(stop))
            {
                try
                {
                    Candidate? candidate;
                    await using (var db = await contexts.CreateDbContextAsync(stop))
                    {
                        candidate = await db.Candidates.AsNoTracking().SingleOrDefaultAsync(c => c.Id == item.CandidateId, stop);
                    }

                    if (candidate is { State: CandidateState.Pending })
                    {
                        var evaluation = await _evaluation.EvaluateAsync(candidate, stop);
                        try
                        {
                            await _evaluation.CommitAsync(candidate, evaluation, stop);
                        }
                        catch (DbUpdateException e)
                        {
                            // A result is worth one more try before it is left pending for the next resume.
                            LogIterationFailed(logger, e, runId, "commit");
                            await Task.Delay(TimeSpan.FromMilliseconds(100), time, stop);
                            await _evaluation.CommitAsync(candidate, evaluation, stop);
                        }

                        await _migration.MaybeMigrateAsync(stop);
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The program stays pending and is evaluated on the next resume.
                    LogIterationFailed(logger, e, runId, "evaluation");
                }
                finally
                {
                    item.Done.TrySetResult();
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Shutting down: whatever is still queued stays pending in the store.
        }
    }

    /// <summary>Samples, proposes and screens until one child is stored, the slot gives up, or a budget ends the run.</summary>
    private async Task<Candidate?> ProposeAsync(CancellationToken stop)
    {
        using var trace = EvoCodeTelemetry.StartCandidate(runId);
        SelectedParents selected;
        await _state.Lock.WaitAsync(stop);
        try
        {
            if (_budget.TryTakeSlot() is not null)
            {
                return null;
            }

            using (EvoCodeTelemetry.StartStage("select"))
            {
                selected = _sampling.Select();
            }
        }
        finally
        {
            _state.Lock.Release();
        }

        var stored = false;
        try
        {
            var prepared = await _requests.BuildAsync(selected, stop);
            var parentFingerprints = new Dictionary<Guid, CodeFingerprint>();
            for (var attempt = 0; attempt < options.MaxScreeningAttempts && !_budget.HaltsSlotsInFlight; attempt++)
            {
                stop.ThrowIfCancellationRequested();
                if (_policy.Pick(selected.Random, prepared.Request.SecondParent is not null, prepared.FixTargets) is not { } choice)
                {
                    continue;
                }

                var request = prepared.Request with { Parent = choice.FixTarget ?? prepared.Request.Parent };
                var watch = Stopwatch.StartNew();
                var proposal = await EvoCodeTelemetry.TraceProposeAsync(() => choice.Operator.ProposeAsync(request, stop));
                var proposeMs = watch.Elapsed.TotalMilliseconds;
                string? rejection;
                CodeFingerprint? fingerprint;
                byte[]? embedding;
                using (EvoCodeTelemetry.StartStage("screen"))
                {
                    (rejection, fingerprint, embedding) = await _screen.ScreenAsync(proposal, request, parentFingerprints, stop);
                }
                if (rejection is not null)
                {
                    await _store.RecordRejectionAsync(proposal, rejection, proposeMs, stop);
                    EvoCodeTelemetry.RecordProposal(proposal.Operator, rejection);
                    if (_budget.SpendingReason() is { } spent)
                    {
                        _budget.End(spent);
                    }

                    continue;
                }

                var parentId = request.Parent.Id;
                var candidate = new Candidate
                {
                    Id = Guid.NewGuid(),
                    RunId = runId,
                    Island = selected.Parent.Island,
                    Generation = selected.Parent.Generation + 1,
                    ParentId = parentId,
                    Parents = [new CandidateParent { ParentId = parentId, Position = 0 }],
                    Operator = proposal.Operator,
                    Model = proposal.Model,
                    Source = proposal.Source!,
                    CodeHash = fingerprint!.Hash,
                    Embedding = embedding,
                    State = CandidateState.Pending,
                    Prompt = proposal.Prompt,
                    Reply = proposal.Reply,
                    InputTokens = proposal.InputTokens,
                    OutputTokens = proposal.OutputTokens,
                    Cost = proposal.Cost,
                };
                if (choice.Operator.NeedsSecondParent && selected.Second is not null)
                {
                    candidate.Parents.Add(new CandidateParent { ParentId = selected.Second.Id, Position = 1 });
                }

                await _store.StoreProposalAsync(candidate, proposeMs, stop);
                EvoCodeTelemetry.Remember(candidate.Id, trace);
                _budget.ChildStored();
                stored = true;
                return candidate;
            }

            _budget.SlotGaveUp();
            return null;
        }
        finally
        {
            if (!stored)
            {
                _budget.ReturnSlot();
            }
        }
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
            LogIterationFailed(logger, e, runId, "final save");
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: a {Stage} iteration failed; the run goes on")]
    private static partial void LogIterationFailed(ILogger logger, Exception exception, Guid runId, string stage);
}
