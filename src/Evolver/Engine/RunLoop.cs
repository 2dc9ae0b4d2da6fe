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
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace EvoCode.Evolver.Engine;

/// <summary>
/// One run's steady-state pipeline: proposal workers select a parent, ask an operator for a child, screen it and
/// store it as pending; evaluation workers take ids from a bounded channel, evaluate in the sandbox and commit
/// the result, the archive placement and the run's counters in one transaction. The database is the truth: a
/// loop rebuilt from it after a crash evaluates the pending programs once and goes on.
/// </summary>
/// <remarks>
/// All in-memory state (archive view, random source, counters) changes under one lock, held only for
/// selection and commits, never across a model call or an evaluation.
/// </remarks>
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
    private const string MigrationOperator = "migration";
    private const string FixOperatorName = "fix";

    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly HashSet<string> _seenHashes = new(StringComparer.Ordinal);
    private Run _run = null!;
    private Problem _problem = null!;
    private RunSettings _settings = null!;
    private FeatureGrid _grid = null!;
    private ParentSelector _selector = null!;
    private IslandArchive[] _islands = [];
    private RunRandom _random = null!;
    private RunOperators _operators = null!;
    private IEvaluator _evaluator = null!;
    private IProgramLanguage _language = null!;
    private ICodeCheck? _screen;
    private HashSet<string> _visibleMetrics = [];
    private long _reserved;
    private int _nextIsland;
    private int _failedInRow;
    private long _nextMigrationAt;
    private long _nextSummaryAt;
    private long _segmentStart;
    private double _activeSecondsAtStart;
    private string? _finishReason;

    /// <summary>Runs until a budget ends the run, the run fails, or <paramref name="stop"/> fires (pause, cancel, shutdown).</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        try
        {
            if (!await InitializeAsync(stop))
            {
                return;
            }

            if (!await EnsureSeedAsync(stop))
            {
                return;
            }

            await PipelineAsync(stop);
            if (!stop.IsCancellationRequested && _finishReason is not null)
            {
                await FinishAsync(RunStatus.Completed, _finishReason, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Paused, cancelled or shutting down: pending programs stay pending and are evaluated on resume.
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or JsonException)
        {
            LogRunFailed(logger, e, runId);
            await FinishAsync(RunStatus.Failed, e.Message, CancellationToken.None);
        }
        finally
        {
            await SaveActiveTimeAsync();
        }
    }

    // ---------------------------------------------------------------- initialization and resume

    private async Task<bool> InitializeAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().Include(r => r.Problem).SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run?.Problem is null)
        {
            LogRunMissing(logger, runId);
            return false;
        }

        _run = run;
        _problem = run.Problem;
        _run.Problem = null;
        _settings = run.Settings;
        _evaluator = evaluators.Resolve(_problem);

        // The problem's language decides markers, tokens, features and screen (the compile-screen switch turns every screen off).
        _language = ProgramLanguages.Of(_problem);
        _screen = compileScreen is null ? null : _language.Screen(new ScreenServices(compileScreen, runner, _problem.EvaluatorParameters));

        // Dimensions: the run's, else the problem's, else the evaluator's own features, else built-in code features.
        _grid = new FeatureGrid(FeatureGrid.ChooseDimensions(_settings, _problem, _evaluator.Descriptor.Features));
        _selector = new ParentSelector(ParentSelector.Parse(_settings.ParentSelection), _settings.ExploitRatio, _settings.PowerLawAlpha);
        _random = _run.RandomState is { } state ? RunRandom.Restore(state) : new RunRandom(_settings.Seed);
        _visibleMetrics = [.. _evaluator.Descriptor.Metrics.Where(m => m.ShownToModel).Select(m => m.Name)];
        _operators = operatorSource.Create(_run, _problem);
        _islands = [.. Enumerable.Range(0, Math.Max(1, _settings.Islands)).Select(i => new IslandArchive(i))];

        // The archive view, the children counts and the seen hashes come back from the store.
        var cells = await (from cell in db.ArchiveCells.AsNoTracking()
                           join c in db.Candidates.AsNoTracking() on cell.EliteId equals c.Id
                           where cell.RunId == runId
                           select new { cell.Island, cell.CellKey, cell.Score, c.Id, c.CodeHash, c.Generation })
            .ToListAsync(cancellationToken);
        foreach (var cell in cells.Where(c => c.Island < _islands.Length))
        {
            _islands[cell.Island].Place(new Elite(cell.Id, cell.Island, cell.CellKey, cell.Score, cell.CodeHash, cell.Generation));
        }

        var children = await db.CandidateParents.AsNoTracking()
            .Where(p => db.Candidates.Any(c => c.Id == p.CandidateId && c.RunId == runId))
            .GroupBy(p => p.ParentId)
            .Select(g => new { ParentId = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        foreach (var island in _islands)
        {
            foreach (var child in children.Where(c => island.Contains(c.ParentId)))
            {
                for (var i = 0; i < child.Count; i++)
                {
                    island.CountChild(child.ParentId);
                }
            }
        }

        foreach (var hash in await db.Candidates.AsNoTracking().Where(c => c.RunId == runId).Select(c => c.CodeHash).ToListAsync(cancellationToken))
        {
            _seenHashes.Add(hash);
        }

        var pending = await db.Candidates.CountAsync(c => c.RunId == runId && c.State == CandidateState.Pending, cancellationToken);
        _reserved = _run.Evaluations + pending;
        _nextMigrationAt = NextMultiple(_run.Evaluations, _settings.MigrationInterval);
        _nextSummaryAt = _settings.MetaSummaryInterval is { } interval ? NextMultiple(_run.Evaluations, interval) : long.MaxValue;
        _segmentStart = time.GetTimestamp();
        _activeSecondsAtStart = _run.ActiveSeconds;
        if (_run.StartedAt is null)
        {
            _run.StartedAt = time.GetUtcNow();
            db.Attach(_run).Property(r => r.StartedAt).IsModified = true;
            await db.SaveChangesAsync(cancellationToken);
        }

        LogRunStarted(logger, runId, _run.Evaluations, pending, cells.Count);
        return true;
    }

    private static long NextMultiple(long value, int interval) => interval <= 0 ? long.MaxValue : ((value / interval) + 1) * interval;

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
            var fingerprint = CodeFingerprint.Of(_problem.SeedSource, _language);
            seed = new Candidate
            {
                Id = Guid.NewGuid(),
                RunId = runId,
                Island = 0,
                Operator = SeedOperator,
                Source = _problem.SeedSource,
                CodeHash = fingerprint.Hash,
                State = CandidateState.Pending,
            };
            Interlocked.Increment(ref _reserved);
            await StoreProposalAsync(seed, new Proposal { Operator = SeedOperator, Source = seed.Source }, 0, cancellationToken);
        }

        if (seed.State == CandidateState.Pending)
        {
            var evaluation = await EvaluateAsync(seed, cancellationToken);
            await CommitEvaluationAsync(seed, evaluation, cancellationToken);
        }

        if (_islands[0].Count == 0)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var stored = await db.Candidates.AsNoTracking().SingleAsync(c => c.Id == seed.Id, cancellationToken);
            var reason = stored.Correct == true
                ? $"The seed program was evaluated but fits no archive cell: {stored.Error}"
                : $"The seed program does not evaluate correctly ({stored.Outcome}): {stored.Error}";
            await FinishAsync(RunStatus.Failed, reason, cancellationToken);
            return false;
        }

        // Every island starts from the seed; copies share its evaluation, so no evaluation is spent twice.
        for (var island = 1; island < _islands.Length; island++)
        {
            if (_islands[island].Count == 0)
            {
                await MigrateAsync(_islands[0].Best, island, SeedOperator, cancellationToken);
            }
        }

        return true;
    }

    // ---------------------------------------------------------------- the pipeline

    private async Task PipelineAsync(CancellationToken stop)
    {
        var lockstep = _settings.ProposalConcurrency <= 1 && _settings.EvaluationConcurrency <= 1;
        var queue = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(Math.Max(1, _settings.EvaluationConcurrency))
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = _settings.EvaluationConcurrency <= 1,
        });

        var evaluatorsTasks = Enumerable.Range(0, Math.Max(1, _settings.EvaluationConcurrency))
            .Select(_ => Task.Run(() => EvaluationWorkerAsync(queue.Reader, stop), CancellationToken.None))
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

            var proposers = Enumerable.Range(0, Math.Max(1, _settings.ProposalConcurrency))
                .Select(_ => Task.Run(() => ProposalWorkerAsync(queue.Writer, lockstep, stop), CancellationToken.None))
                .ToList();
            await Task.WhenAll(proposers);
        }
        finally
        {
            queue.Writer.TryComplete();
            await Task.WhenAll(evaluatorsTasks);
        }
    }

    private sealed class WorkItem(Guid candidateId)
    {
        public Guid CandidateId { get; } = candidateId;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private async Task ProposalWorkerAsync(ChannelWriter<WorkItem> queue, bool lockstep, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await MaybeSummarizeAsync(stop);
                var candidate = await ProposeAsync(stop);
                if (candidate is null)
                {
                    if (_finishReason is not null)
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
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One failed iteration costs one proposal, never the run.
                LogIterationFailed(logger, e, runId, "proposal");
                await Task.Delay(TimeSpan.FromMilliseconds(200), time, stop);
            }
        }
    }

    private async Task EvaluationWorkerAsync(ChannelReader<WorkItem> queue, CancellationToken stop)
    {
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
                        var evaluation = await EvaluateAsync(candidate, stop);
                        try
                        {
                            await CommitEvaluationAsync(candidate, evaluation, stop);
                        }
                        catch (DbUpdateException e)
                        {
                            // A result is worth one more try before it is left pending for the next resume.
                            LogIterationFailed(logger, e, runId, "commit");
                            await Task.Delay(TimeSpan.FromMilliseconds(100), time, stop);
                            await CommitEvaluationAsync(candidate, evaluation, stop);
                        }

                        await MaybeMigrateAsync(stop);
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
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

    // ---------------------------------------------------------------- proposing

    /// <summary>Selects, proposes and screens until one child is stored, a slot gives up, or a budget ends the run.</summary>
    private async Task<Candidate?> ProposeAsync(CancellationToken stop)
    {
        SelectedParents selected;
        await _lock.WaitAsync(stop);
        try
        {
            if (BudgetReason() is { } reason)
            {
                _finishReason ??= reason;
                return null;
            }

            _reserved++;
            selected = Select();
        }
        finally
        {
            _lock.Release();
        }

        var stored = false;
        try
        {
            var request = await BuildRequestAsync(selected, stop);
            var parentFingerprints = new Dictionary<Guid, CodeFingerprint>();
            for (var attempt = 0; attempt < options.MaxScreeningAttempts && !stop.IsCancellationRequested; attempt++)
            {
                var op = PickOperator(selected.Random, request.SecondParent is not null);

                // A fix mends a recent failure instead of improving an elite; with no failure it has nothing to do.
                var fixing = op.Name == FixOperatorName && request.RecentFailures.Count > 0 ? request.RecentFailures[0] : null;
                if (op.Name == FixOperatorName && fixing is null)
                {
                    continue;
                }

                var effective = request with { Random = selected.Random, Parent = fixing ?? request.Parent };
                var watch = Stopwatch.StartNew();
                var proposal = await op.ProposeAsync(effective, stop);
                var proposeMs = watch.Elapsed.TotalMilliseconds;
                var (rejection, fingerprint) = await ScreenAsync(proposal, effective, parentFingerprints, stop);
                if (rejection is not null)
                {
                    if (await RecordRejectionAsync(proposal, rejection, proposeMs, stop) is { } spent)
                    {
                        _finishReason ??= spent;
                        break;
                    }

                    continue;
                }

                var candidate = new Candidate
                {
                    Id = Guid.NewGuid(),
                    RunId = runId,
                    Island = selected.Parent.Island,
                    Generation = selected.Parent.Generation + 1,
                    ParentId = fixing?.Id ?? selected.Parent.Id,
                    Parents = [new CandidateParent { ParentId = fixing?.Id ?? selected.Parent.Id, Position = 0 }],
                    Operator = proposal.Operator,
                    Model = proposal.Model,
                    Source = proposal.Source!,
                    CodeHash = fingerprint!.Hash,
                    State = CandidateState.Pending,
                    Prompt = proposal.Prompt,
                    Reply = proposal.Reply,
                    InputTokens = proposal.InputTokens,
                    OutputTokens = proposal.OutputTokens,
                    Cost = proposal.Cost,
                };
                if (op.NeedsSecondParent && selected.Second is not null)
                {
                    candidate.Parents.Add(new CandidateParent { ParentId = selected.Second.Id, Position = 1 });
                }

                await StoreProposalAsync(candidate, proposal, proposeMs, stop);
                stored = true;
                return candidate;
            }

            await _lock.WaitAsync(stop);
            try
            {
                if (++_failedInRow >= options.MaxFailedProposalsInRow && _finishReason is null)
                {
                    _finishReason = $"Stalled: {_failedInRow} proposals in a row produced no new program.";
                }
            }
            finally
            {
                _lock.Release();
            }

            return null;
        }
        finally
        {
            if (!stored)
            {
                Interlocked.Decrement(ref _reserved);
            }
        }
    }

    private sealed record SelectedParents(Elite Parent, Elite? Second, IReadOnlyList<Elite> Inspirations, Random Random);

    /// <summary>Under the lock: island (round robin), parent, a second parent for crossover, inspirations, and a child random source.</summary>
    private SelectedParents Select()
    {
        var island = _islands[_nextIsland];
        _nextIsland = (_nextIsland + 1) % _islands.Length;
        var parent = _selector.SelectParent(island, _random);
        var inspirations = _selector.SelectInspirations(island, parent, _settings.Inspirations, _random);
        Elite? second = null;
        if (island.Count > 1)
        {
            for (var i = 0; i < 8 && (second is null || second.Id == parent.Id); i++)
            {
                second = _selector.SelectParent(island, _random);
            }

            second = second?.Id == parent.Id ? null : second;
        }

        // Operators get their own stream, drawn from the run's, so they can work outside the lock.
        var childRandom = new RunRandom((int)(_random.NextUInt64() & 0x7FFFFFFF));
        return new SelectedParents(parent, second, inspirations, childRandom);
    }

    private IMutationOperator PickOperator(Random random, bool hasSecondParent)
    {
        // The operator is drawn from the same child stream as the edit, so lockstep runs are reproducible.
        for (var i = 0; i < 16; i++)
        {
            var op = _operators.Pick(random);
            if (!op.NeedsSecondParent || hasSecondParent)
            {
                return op;
            }
        }

        return _operators.Operators.FirstOrDefault(o => !o.NeedsSecondParent) ?? _operators.Operators[0];
    }

    private async Task<MutationRequest> BuildRequestAsync(SelectedParents selected, CancellationToken cancellationToken)
    {
        var ids = new List<Guid> { selected.Parent.Id };
        if (selected.Second is not null)
        {
            ids.Add(selected.Second.Id);
        }

        ids.AddRange(selected.Inspirations.Select(e => e.Id));
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var programs = await db.Candidates.AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        var failures = await db.Candidates.AsNoTracking()
            .Where(c => c.RunId == runId && c.State == CandidateState.Evaluated && c.Correct == false)
            .OrderByDescending(c => c.Sequence)
            .Take(3)
            .ToListAsync(cancellationToken);

        return new MutationRequest
        {
            TaskDescription = _problem.Description,
            Parent = ToParent(programs[selected.Parent.Id]),
            SecondParent = selected.Second is null ? null : ToParent(programs[selected.Second.Id]),
            Inspirations = [.. selected.Inspirations.Where(e => programs.ContainsKey(e.Id)).Select(e => ToParent(programs[e.Id]))],
            RecentFailures = [.. failures.Select(ToParent)],
            MetaSummary = _run.MetaSummary,
            EntryPoint = _evaluator.Descriptor.EntryPoint,
            Language = _language,
            Screen = _screen,
            Random = selected.Random,
            RunId = runId,
            Generation = selected.Parent.Generation + 1,
        };
    }

    private ParentProgram ToParent(Candidate c)
    {
        var feedback = string.Join("\n\n", c.Artifacts.Where(a => a.ForModel).Select(a => $"[{a.Name}]\n{a.Content}"));
        if (feedback.Length > options.MaxFeedbackLength)
        {
            feedback = feedback[..options.MaxFeedbackLength] + "\n[... truncated]";
        }

        return new ParentProgram(
            c.Id,
            c.Source,
            c.Score,
            c.Metrics.Where(m => _visibleMetrics.Contains(m.Key)).ToDictionary(m => m.Key, m => m.Value),
            feedback.Length == 0 ? null : feedback,
            c.Error);
    }

    /// <summary>Reasons a proposal is not worth an evaluation, cheapest check first.</summary>
    /// <param name="parentFingerprints">Fingerprints of this slot's parents, computed once per slot rather than once per attempt.</param>
    private async Task<(string? Rejection, CodeFingerprint? Fingerprint)> ScreenAsync(
        Proposal proposal, MutationRequest request, Dictionary<Guid, CodeFingerprint> parentFingerprints, CancellationToken cancellationToken)
    {
        if (!proposal.Succeeded)
        {
            return ("operator-failed", null);
        }

        if (proposal.Source!.Length > options.MaxSourceLength)
        {
            return ("too-long", null);
        }

        if (!EvolveBlocks.TryParse(request.Parent.Source, _language, out var parentBlocks, out _) || !parentBlocks.FrozenPartsMatch(proposal.Source))
        {
            return ("outside-markers", null);
        }

        var fingerprint = CodeFingerprint.Of(proposal.Source, _language);
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (_seenHashes.Contains(fingerprint.Hash))
            {
                return ("duplicate", null);
            }
        }
        finally
        {
            _lock.Release();
        }

        var parents = request.SecondParent is null ? [request.Parent] : new[] { request.Parent, request.SecondParent };
        CodeFingerprint Of(ParentProgram parent)
        {
            if (!parentFingerprints.TryGetValue(parent.Id, out var known))
            {
                known = CodeFingerprint.Of(parent.Source, _language);
                parentFingerprints[parent.Id] = known;
            }

            return known;
        }

        if (parents.Any(p => Of(p).Similarity(fingerprint) >= _settings.NearDuplicateThreshold))
        {
            return ("near-duplicate", null);
        }

        if (_screen is not null && (await _screen.CheckAsync(proposal.Source, cancellationToken)).Count > 0)
        {
            return ("compile", null);
        }

        return (null, fingerprint);
    }

    /// <summary>Counts a screened-out proposal; returns a spending budget it exhausted, if any.</summary>
    private async Task<string?> RecordRejectionAsync(Proposal proposal, string reason, double proposeMs, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            _run.Proposals++;
            _run.Rejections++;
            AddUsage(proposal);
            var stats = _run.Statistics;
            stats.Count(stats.Rejections, reason);
            var op = stats.For(stats.Operators, proposal.Operator);
            op.Proposed++;
            op.Rejected++;
            if (proposal.Model is { } model)
            {
                stats.For(stats.Models, model).Proposed++;
                stats.For(stats.Models, model).Rejected++;
            }

            stats.ProposeMs += proposeMs;
            _operators.Reward?.Invoke(proposal, null, null);
            return SpendingReason();
        }
        finally
        {
            _lock.Release();
        }
    }

    private void AddUsage(Proposal proposal)
    {
        _run.InputTokens += proposal.InputTokens ?? 0;
        _run.OutputTokens += proposal.OutputTokens ?? 0;
        _run.Cost += proposal.Cost ?? 0;
    }

    /// <summary>Stores a pending program and the run state that produced it (random state included) in one transaction.</summary>
    private async Task StoreProposalAsync(Candidate candidate, Proposal proposal, double proposeMs, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        var backup = SaveCounters();
        try
        {
            var watch = Stopwatch.StartNew();
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            candidate.Sequence = await NextSequenceAsync(db, cancellationToken);
            candidate.CreatedAt = time.GetUtcNow();
            candidate.Timings = new CandidateTimings(proposeMs);
            db.Candidates.Add(candidate);

            _run.NextSequence = candidate.Sequence + 1;
            _run.Proposals++;
            _failedInRow = 0;
            AddUsage(proposal);
            var stats = _run.Statistics;
            stats.For(stats.Operators, candidate.Operator).Proposed++;
            if (candidate.Model is { } model)
            {
                stats.For(stats.Models, model).Proposed++;
            }

            stats.ProposeMs += proposeMs;
            _run.RandomState = _random.Save();
            _run.EnsembleState = _operators.SaveState?.Invoke() ?? _run.EnsembleState;
            AttachRunCounters(db);
            await db.SaveChangesAsync(cancellationToken);
            _seenHashes.Add(candidate.CodeHash);
            stats.StoreMs += watch.Elapsed.TotalMilliseconds;
        }
        catch
        {
            // The row did not land: memory must keep matching the store.
            RestoreCounters(backup);
            throw;
        }
        finally
        {
            _lock.Release();
        }
    }

    // ---------------------------------------------------------------- evaluating

    private async Task<EvaluationResult> EvaluateAsync(Candidate candidate, CancellationToken cancellationToken)
    {
        var context = new EvaluationContext(
            Seed: unchecked((_settings.Seed * 31) + (int)candidate.Sequence),
            Limits: _settings.EvaluationTimeoutSeconds is { } seconds ? _evaluator.Descriptor.DefaultLimits with { WallTime = TimeSpan.FromSeconds(seconds) } : null);
        var watch = Stopwatch.StartNew();
        try
        {
            var result = await _evaluator.EvaluateAsync(candidate.Source, runner, context, cancellationToken);
            return result.RequireFinite() with { RunTime = result.RunTime == TimeSpan.Zero ? watch.Elapsed : result.RunTime };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // An evaluator that crashes fails this program, with the reason kept; the run goes on.
            LogEvaluatorCrashed(logger, e, runId, candidate.Id);
            return EvaluationResult.Incorrect($"The evaluator failed: {e.GetType().Name}: {e.Message}", RunOutcome.Crashed) with { RunTime = watch.Elapsed };
        }
    }

    private async Task CommitEvaluationAsync(Candidate candidate, EvaluationResult result, CancellationToken cancellationToken)
    {
        var features = new Dictionary<string, double>(result.Features);
        foreach (var (name, value) in CodeFeatures.Measure(candidate.Source, _language))
        {
            features.TryAdd(name, value);
        }

        var correct = result.Correct;
        var error = result.Error;
        string? cellKey = null;
        if (correct)
        {
            cellKey = _grid.CellKey(features, out var missing);
            if (cellKey is null)
            {
                error = $"The evaluator reported no value for the archive's feature '{missing}'.";
            }
        }

        await _lock.WaitAsync(cancellationToken);
        var backup = SaveCounters();
        try
        {
            var watch = Stopwatch.StartNew();
            var now = time.GetUtcNow();
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
                && await ArchiveStore.TryPlaceEliteAsync(db, runId, row.Island, cellKey, row.Id, result.Score, now, cancellationToken);
            row.BecameElite = becameElite;

            var previousBest = _run.BestScore;
            var newBest = correct && (previousBest is null || result.Score > previousBest);
            double? parentScore = null;
            if (row.ParentId is { } parentId)
            {
                parentScore = await db.Candidates.Where(c => c.Id == parentId).Select(c => c.Score).SingleOrDefaultAsync(cancellationToken);
            }

            _run.Evaluations++;
            if (newBest)
            {
                _run.BestScore = result.Score;
                _run.BestCandidateId = row.Id;
                _run.Improvements++;
            }

            var stats = _run.Statistics;
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
                (RunEventKinds.Evaluated, new { candidateId = row.Id, sequence = row.Sequence, island = row.Island, op = row.Operator, outcome = row.Outcome, correct, score = row.Score, evaluations = _run.Evaluations }),
            };
            if (becameElite)
            {
                events.Add((RunEventKinds.NewElite, new { candidateId = row.Id, island = row.Island, cellKey, score = result.Score }));
            }

            if (newBest)
            {
                events.Add((RunEventKinds.NewBest, new { candidateId = row.Id, score = result.Score, previous = previousBest, evaluations = _run.Evaluations }));
            }

            AddEvents(db, events, now);
            AttachRunCounters(db);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);

            // The store accepted it: now mirror it in memory.
            if (becameElite)
            {
                _islands[row.Island].Place(new Elite(row.Id, row.Island, cellKey!, result.Score, row.CodeHash, row.Generation));
            }

            if (row.ParentId is { } parent && row.Island < _islands.Length)
            {
                _islands[row.Island].CountChild(parent);
            }

            stats.StoreMs += watch.Elapsed.TotalMilliseconds;
            _operators.Reward?.Invoke(
                new Proposal { Operator = row.Operator, Model = row.Model, Cost = row.Cost, Source = row.Source },
                parentScore,
                correct ? result.Score : null);
        }
        catch
        {
            RestoreCounters(backup);
            throw;
        }
        finally
        {
            _lock.Release();
        }

        hub.Notify(runId);
    }

    private void AddEvents(EvoCodeDbContext db, IEnumerable<(string Kind, object Data)> events, DateTimeOffset now)
    {
        foreach (var (kind, data) in events)
        {
            db.RunEvents.Add(new RunEvent { RunId = runId, Kind = kind, Data = JsonSerializer.Serialize(data, JsonColumns.Options), CreatedAt = now });
        }
    }

    /// <summary>
    /// The next free sequence number. The store is asked too (one index lookup): a commit that was cancelled after
    /// the database accepted it leaves memory one behind, and a sequence must never be handed out twice.
    /// </summary>
    private async Task<long> NextSequenceAsync(EvoCodeDbContext db, CancellationToken cancellationToken)
    {
        var stored = await db.Candidates.Where(c => c.RunId == runId).MaxAsync(c => (long?)c.Sequence, cancellationToken) ?? 0;
        return Math.Max(_run.NextSequence, stored + 1);
    }

    /// <summary>A copy of the run's in-memory state, taken before a commit and put back if the commit fails.</summary>
    private string SaveCounters() => JsonSerializer.Serialize(_run, JsonColumns.Options);

    private void RestoreCounters(string backup) => _run = JsonSerializer.Deserialize<Run>(backup, JsonColumns.Options)!;

    /// <summary>Marks only the columns this loop owns as modified, so a concurrent status change by a user is never overwritten.</summary>
    private void AttachRunCounters(EvoCodeDbContext db)
    {
        _run.ActiveSeconds = _activeSecondsAtStart + time.GetElapsedTime(_segmentStart).TotalSeconds;
        var entry = db.Attach(_run);
        foreach (var property in s_loopOwnedColumns)
        {
            entry.Property(property).IsModified = true;
        }
    }

    private static readonly string[] s_loopOwnedColumns =
    [
        nameof(Run.Proposals), nameof(Run.Evaluations), nameof(Run.Improvements), nameof(Run.Rejections),
        nameof(Run.InputTokens), nameof(Run.OutputTokens), nameof(Run.Cost), nameof(Run.BestScore), nameof(Run.BestCandidateId),
        nameof(Run.NextSequence), nameof(Run.RandomState), nameof(Run.EnsembleState), nameof(Run.MetaSummary),
        nameof(Run.ActiveSeconds), nameof(Run.Statistics),
    ];

    // ---------------------------------------------------------------- budgets, migration, meta-memory, finish

    /// <summary>Under the lock: why the run must stop now, or null.</summary>
    private string? BudgetReason()
    {
        if ((_finishReason ?? SpendingReason()) is { } reason)
        {
            return reason;
        }

        return _settings.MaxEvaluations is { } maxEvaluations && Interlocked.Read(ref _reserved) >= maxEvaluations
            ? $"Reached the evaluation budget ({maxEvaluations})."
            : null;
    }

    /// <summary>
    /// Budgets that a proposal slot spends while it retries (proposals, tokens, cost, time) or that make more
    /// proposals pointless (the target). The evaluation budget is not among them: a slot holds its evaluation.
    /// </summary>
    private string? SpendingReason()
    {
        if (_settings.TargetScore is { } target && _run.BestScore >= target)
        {
            return $"Reached the target score {target}.";
        }

        if (_settings.MaxProposals is { } maxProposals && _run.Proposals >= maxProposals)
        {
            return $"Reached the proposal budget ({maxProposals}).";
        }

        if (_settings.MaxTokens is { } maxTokens && _run.InputTokens + _run.OutputTokens >= maxTokens)
        {
            return $"Reached the token budget ({maxTokens}).";
        }

        if (_settings.MaxCost is { } maxCost && _run.Cost >= maxCost)
        {
            return $"Reached the cost budget ({maxCost}).";
        }

        return _settings.MaxWallTimeSeconds is { } maxSeconds && _activeSecondsAtStart + time.GetElapsedTime(_segmentStart).TotalSeconds >= maxSeconds
            ? $"Reached the wall-time budget ({maxSeconds} s)."
            : null;
    }

    private async Task MaybeMigrateAsync(CancellationToken cancellationToken)
    {
        List<List<Elite>> migrants;
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (_islands.Length < 2 || _run.Evaluations < _nextMigrationAt)
            {
                return;
            }

            _nextMigrationAt = NextMultiple(_run.Evaluations, _settings.MigrationInterval);

            // Ring: island i sends its best elites to island i + 1.
            migrants = [.. _islands.Select(i => i.Top(_settings.MigrationCount).ToList())];
        }
        finally
        {
            _lock.Release();
        }

        for (var source = 0; source < _islands.Length; source++)
        {
            foreach (var migrant in migrants[source])
            {
                await MigrateAsync(migrant, (source + 1) % _islands.Length, MigrationOperator, cancellationToken);
            }
        }
    }

    /// <summary>Copies an elite onto another island with its evaluation; a program already there is not copied again.</summary>
    private async Task MigrateAsync(Elite migrant, int destination, string operatorName, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        var backup = SaveCounters();
        try
        {
            var island = _islands[destination];
            if (island.HoldsCode(migrant.CodeHash) || !island.WouldImprove(migrant.CellKey, migrant.Score))
            {
                return;
            }


            var now = time.GetUtcNow();
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var original = await db.Candidates.AsNoTracking().SingleAsync(c => c.Id == migrant.Id, cancellationToken);
            var copy = new Candidate
            {
                Id = Guid.NewGuid(),
                RunId = runId,
                Sequence = await NextSequenceAsync(db, cancellationToken),
                Island = destination,
                Generation = original.Generation,
                ParentId = original.Id,
                Parents = [new CandidateParent { ParentId = original.Id, Position = 0 }],
                Operator = operatorName,
                Model = original.Model,
                Source = original.Source,
                CodeHash = original.CodeHash,
                State = CandidateState.Evaluated,
                Outcome = original.Outcome,
                Correct = original.Correct,
                Score = original.Score,
                Metrics = original.Metrics,
                Features = original.Features,
                CellKey = original.CellKey,
                Artifacts = original.Artifacts,
                Error = original.Error,
                CreatedAt = now,
                EvaluatedAt = now,
            };
            db.Candidates.Add(copy);
            await db.SaveChangesAsync(cancellationToken);
            var placed = await ArchiveStore.TryPlaceEliteAsync(db, runId, destination, migrant.CellKey, copy.Id, migrant.Score, now, cancellationToken);
            copy.BecameElite = placed;
            _run.NextSequence = copy.Sequence + 1;
            if (operatorName == MigrationOperator)
            {
                _run.Statistics.Migrations++;
                AddEvents(db, [(RunEventKinds.Migration, new { candidateId = copy.Id, from = migrant.Island, to = destination, score = migrant.Score })], now);
            }

            AttachRunCounters(db);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            if (placed)
            {
                island.Place(migrant with { Id = copy.Id, Island = destination });
            }
        }
        catch
        {
            RestoreCounters(backup);
            throw;
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task MaybeSummarizeAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (_operators.Summarize is null || _run.Evaluations < _nextSummaryAt)
            {
                return;
            }

            _nextSummaryAt = NextMultiple(_run.Evaluations, _settings.MetaSummaryInterval ?? int.MaxValue);
        }
        finally
        {
            _lock.Release();
        }

        List<RecentProgram> recent;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            recent = await db.Candidates.AsNoTracking()
                .Where(c => c.RunId == runId && c.State == CandidateState.Evaluated && c.Operator != MigrationOperator)
                .OrderByDescending(c => c.Sequence)
                .Take(20)
                .Select(c => new RecentProgram(
                    c.Operator,
                    c.Model,
                    c.Score,
                    db.Candidates.Where(p => p.Id == c.ParentId).Select(p => p.Score).FirstOrDefault(),
                    c.Error))
                .ToListAsync(cancellationToken);
        }

        var summary = await _operators.Summarize(_run.MetaSummary, recent, cancellationToken);
        if (summary is not null)
        {
            await _lock.WaitAsync(cancellationToken);
            try
            {
                _run.MetaSummary = summary;
            }
            finally
            {
                _lock.Release();
            }
        }
    }

    /// <summary>Ends the run, unless a user already moved it out of Running (a pause or cancel wins over a budget).</summary>
    private async Task FinishAsync(RunStatus status, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var running = RunStatus.Running.ToString();
        var changed = await db.Runs
            .Where(r => r.Id == runId && (r.Status == RunStatus.Running || r.Status == RunStatus.Pending))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, status).SetProperty(r => r.StatusReason, reason).SetProperty(r => r.FinishedAt, now), cancellationToken);
        if (changed > 0)
        {
            db.RunEvents.Add(new RunEvent
            {
                RunId = runId,
                Kind = status == RunStatus.Failed ? RunEventKinds.Error : RunEventKinds.Status,
                Data = JsonSerializer.Serialize(new { status = status.ToString(), reason, previous = running }, JsonColumns.Options),
                CreatedAt = now,
            });
            await db.SaveChangesAsync(cancellationToken);
            LogRunFinished(logger, runId, status, reason);
            hub.Notify(runId);
        }
    }

    private async Task SaveActiveTimeAsync()
    {
        if (_run is null || _islands.Length == 0)
        {
            return;
        }

        await _lock.WaitAsync();
        try
        {
            await using var db = await contexts.CreateDbContextAsync();
            AttachRunCounters(db);
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException e)
        {
            LogIterationFailed(logger, e, runId, "final save");
        }
        finally
        {
            _lock.Release();
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: a {Stage} iteration failed; the run goes on")]
    private static partial void LogIterationFailed(ILogger logger, Exception exception, Guid runId, string stage);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: the evaluator crashed on program {CandidateId}")]
    private static partial void LogEvaluatorCrashed(ILogger logger, Exception exception, Guid runId, Guid candidateId);
}
