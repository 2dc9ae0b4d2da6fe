using System.Collections.Concurrent;
using System.Text.Json;
using EvoCode.Evaluators.Contract;
using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Languages;
using EvoCode.Evolver.Llm;
using EvoCode.Evolver.Persistence;
using EvoCode.Evolver.Search;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Evolver.Engine;

/// <summary>
/// A run's in-memory state, loaded from the store: the run row, its problem and settings, the archive view, the
/// random source, the operators and the run's ledger. Every part of the loop reads and changes it under
/// <see cref="Lock"/>, held only for selection and commits, never across a model call or an evaluation.
/// </summary>
internal sealed class RunState
{
    private string? _backup;

    private RunState(RunFence fence, Run run, Problem problem, IEvaluator evaluator, ModelLedger ledger, TimeProvider time)
    {
        Fence = fence;
        Run = run;
        Problem = problem;
        Evaluator = evaluator;
        Language = ProgramLanguages.Of(problem);
        Ledger = ledger;
        Time = time;
        SegmentStart = time.GetTimestamp();
        ActiveSecondsAtStart = run.ActiveSeconds;
    }

    public SemaphoreSlim Lock { get; } = new(1, 1);

    public Guid RunId => Run.Id;

    /// <summary>The claim this loop holds; every write of the loop saves through it (ADR-021).</summary>
    public RunFence Fence { get; }

    public Run Run { get; private set; }

    public Problem Problem { get; }

    public RunSettings Settings => Run.Settings;

    public IEvaluator Evaluator { get; }

    /// <summary>The problem's language: markers, tokens, features, built-in operators and screen.</summary>
    public IProgramLanguage Language { get; }

    /// <summary>The one account every model call of this run goes through.</summary>
    public ModelLedger Ledger { get; }

    public TimeProvider Time { get; }

    public FeatureGrid Grid { get; private set; } = null!;

    public IslandArchive[] Islands { get; private set; } = [];

    public RunRandom Random { get; private set; } = null!;

    public RunOperators Operators { get; private set; } = null!;

    public HashSet<string> SeenHashes { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Programs this loop stored and has not evaluated yet, with what their store took (milliseconds): a program's
    /// row gets its store time with its result, once that time is known.
    /// </summary>
    public ConcurrentDictionary<Guid, double> StoreTimes { get; } = new();

    public HashSet<string> VisibleMetrics { get; private set; } = [];

    public long SegmentStart { get; }

    public double ActiveSecondsAtStart { get; }

    /// <summary>Seconds the run has been active, across pauses and restarts, until <see cref="EndSegment"/> when the run ended.</summary>
    public double ActiveSeconds => ActiveSecondsAtStart + Time.GetElapsedTime(SegmentStart, _segmentEnd ?? Time.GetTimestamp()).TotalSeconds;

    private long? _segmentEnd;

    /// <summary>The run's work ended (a budget or a stall): its active time stops here, not at its last save.</summary>
    public void EndSegment() => _segmentEnd ??= Time.GetTimestamp();

    /// <summary>Loads the run and rebuilds the archive view from the store; <c>null</c> when the run is gone.</summary>
    public static async Task<(RunState? State, int Pending)> LoadAsync(
        RunFence fence, EvoCodeDbContext db, IEvaluatorResolver evaluators, IOperatorSource operatorSource, TimeProvider time, CancellationToken cancellationToken)
    {
        var runId = fence.RunId;
        var run = await db.Runs.AsNoTracking().Include(r => r.Problem).SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run?.Problem is not { } problem)
        {
            return (null, 0);
        }

        if (run.OwnerEpoch != fence.Epoch)
        {
            // Claimed again between our claim and this load: the state belongs to the newer owner.
            throw fence.Lose("load of the run", $"owner epoch {run.OwnerEpoch}");
        }

        run.Problem = null;
        var settings = run.Settings;

        // The API checked these with the same validator; a run stored before a check existed fails here with the fields.
        var evaluator = evaluators.Resolve(problem);
        var metrics = evaluator.Descriptor.Metrics.Select(m => m.Name).ToList();
        if (RunSettingsValidator.Validate(settings, operatorSource.ModelNames, ProgramLanguages.Of(problem), metrics) is { Count: > 0 } invalid)
        {
            throw new ArgumentException($"Invalid run settings: {string.Join(" ", invalid.Select(e => $"{e.Field}: {e.Message}"))}");
        }

        // The ledger starts from what the run's calls spent before a pause or a crash.
        var ledger = new ModelLedger(settings.MaxTokens, settings.MaxCost, new ModelSpending(run.InputTokens, run.OutputTokens, run.Cost, run.Statistics.ModelCalls, run.Statistics.EstimatedModelCalls));
        var state = new RunState(fence, run, problem, evaluator, ledger, time)
        {
            // Dimensions: the run's, else the problem's, else the evaluator's own features, else built-in code features.
            Grid = FeatureGrid.ForRun(settings, FeatureGrid.ChooseDimensions(settings, problem, evaluator.Descriptor.Features)),
            Random = run.RandomState is { } saved ? RunRandom.Restore(saved) : new RunRandom(settings.Seed),
            VisibleMetrics = [.. evaluator.Descriptor.Metrics.Where(m => m.ShownToModel).Select(m => m.Name)],
            Islands = [.. Enumerable.Range(0, Math.Max(1, settings.Islands)).Select(i => new IslandArchive(i, settings.PopulationSize))],
        };
        state.Operators = operatorSource.Create(run, problem, ledger);

        // The archive view, the children counts and the seen hashes come back from the store.
        var cells = await (from cell in db.ArchiveCells.AsNoTracking()
                           join c in db.Candidates.AsNoTracking() on cell.EliteId equals c.Id
                           where cell.RunId == runId
                           select new { cell.Island, cell.CellKey, cell.Score, c.Id, c.CodeHash, c.Generation })
            .ToListAsync(cancellationToken);
        foreach (var cell in cells.Where(c => c.Island < state.Islands.Length))
        {
            state.Islands[cell.Island].Place(new Elite(cell.Id, cell.Island, cell.CellKey, cell.Score, cell.CodeHash, cell.Generation));
        }

        var children = await db.CandidateParents.AsNoTracking()
            .Where(p => db.Candidates.Any(c => c.Id == p.CandidateId && c.RunId == runId))
            .GroupBy(p => p.ParentId)
            .Select(g => new { ParentId = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        foreach (var island in state.Islands)
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
            state.SeenHashes.Add(hash);
        }

        await IslandMemory.RestoreAsync(state, db, cancellationToken);
        await FrontPlacement.RestoreAsync(state, db, cancellationToken);
        var pending = await db.Candidates.CountAsync(c => c.RunId == runId && c.State == CandidateState.Pending, cancellationToken);
        return (state, pending);
    }

    /// <summary>Under the lock: with learned bounds, fits the grid around the seed's (sequence 1) features, once.</summary>
    public void FitGrid(long sequence, IReadOnlyDictionary<string, double> features)
    {
        if (sequence == 1 && Settings.FeatureBounds == "learned" && !_gridFitted)
        {
            Grid = Grid.FitTo(features);
            _gridFitted = true;
        }
    }

    private bool _gridFitted;

    /// <summary>Under the lock: remembers the run row and the waiting events before a commit, so a failed commit can put memory back.</summary>
    public void Checkpoint()
    {
        _backup = JsonSerializer.Serialize(Run, JsonColumns.Options);
        _deferredBackup = [.. _deferred];
    }

    // Stream events whose counts are already on the run row and ride on the next commit (see DeferEvent).
    private List<(DateTimeOffset At, string Kind, object Data)> _deferred = [];
    private List<(DateTimeOffset At, string Kind, object Data)> _deferredBackup = [];

    /// <summary>Stream events waiting for the next commit.</summary>
    public int DeferredEvents => _deferred.Count;

    /// <summary>
    /// Under the lock: an event that costs nothing to lose on a crash (a screened-out built-in proposal: no program,
    /// no money) waits for the next commit instead of a transaction of its own; its counts are already on the run row,
    /// which every commit writes (issue 18: most proposals of a long offline run are screened out).
    /// </summary>
    public void DeferEvent((string Kind, object Data) e) => _deferred.Add((Time.GetUtcNow(), e.Kind, e.Data));

    /// <summary>Under the lock: puts back the run row of the last <see cref="Checkpoint"/> (the commit did not land).</summary>
    public void Rollback()
    {
        if (_backup is not null)
        {
            Run = JsonSerializer.Deserialize<Run>(_backup, JsonColumns.Options)!;
        }

        // The waiting events did not land either: the next commit carries them.
        _deferred = _deferredBackup;
    }

    /// <summary>
    /// Under the lock: copies the ledger's totals and the active time onto the run row and marks only the columns
    /// this loop owns as modified, so a concurrent status change by a user is never overwritten. The waiting events
    /// move into the commit (call it before adding the commit's own events, for stream order); a commit that fails
    /// calls <see cref="Rollback"/>, which puts them back.
    /// </summary>
    public void AttachCounters(EvoCodeDbContext db)
    {
        foreach (var (at, kind, data) in _deferred)
        {
            RunEvents.Add(db, RunId, at, (kind, data));
        }

        _deferred = [];
        var spent = Ledger.Spent;
        Run.InputTokens = spent.InputTokens;
        Run.OutputTokens = spent.OutputTokens;
        Run.Cost = spent.Cost;
        Run.Statistics.ModelCalls = spent.Calls;
        Run.Statistics.EstimatedModelCalls = spent.EstimatedCalls;
        Run.ActiveSeconds = ActiveSeconds;
        Run.EnsembleState = Operators?.SaveState?.Invoke() ?? Run.EnsembleState;
        var entry = db.Attach(Run);
        foreach (var property in s_loopOwnedColumns)
        {
            entry.Property(property).IsModified = true;
        }
    }

    private static readonly string[] s_loopOwnedColumns =
    [
        nameof(Domain.Run.Proposals), nameof(Domain.Run.Evaluations), nameof(Domain.Run.Improvements), nameof(Domain.Run.Rejections),
        nameof(Domain.Run.InputTokens), nameof(Domain.Run.OutputTokens), nameof(Domain.Run.Cost), nameof(Domain.Run.BestScore), nameof(Domain.Run.BestCandidateId),
        nameof(Domain.Run.NextSequence), nameof(Domain.Run.RandomState), nameof(Domain.Run.EnsembleState), nameof(Domain.Run.MetaSummary),
        nameof(Domain.Run.ActiveSeconds), nameof(Domain.Run.Statistics),
    ];
}
