using System.Collections.Concurrent;
using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Persistence;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Api.Series;

/// <summary>
/// Each watched run's evaluations and model calls in the order they happened, read from the store once and then
/// only what is new: a dashboard polling a 100,000-program run costs one small query per call, not a scan.
/// Programs are read from the lowest sequence still pending at the last read (concurrent evaluations finish out
/// of order); model calls from the last id read. Kept in memory for the most recently watched runs.
/// </summary>
public sealed class RunSeriesCache(IDbContextFactory<EvoCodeDbContext> contexts)
{
    /// <summary>Runs kept; a run watched again after eviction is read afresh.</summary>
    private const int MaxRuns = 16;

    private readonly ConcurrentDictionary<Guid, RunSeries> _runs = new();

    /// <summary>Brings the run's series up to date and calls <paramref name="read"/> on it while no refresh can change it.</summary>
    public async Task<T> ReadAsync<T>(Guid runId, Func<RunSeries, T> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        var series = _runs.GetOrAdd(runId, static id => new RunSeries(id));
        await series.Gate.WaitAsync(cancellationToken);
        try
        {
            series.LastUsed = Environment.TickCount64;
            await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
            {
                await series.RefreshAsync(db, cancellationToken);
            }

            return read(series);
        }
        finally
        {
            series.Gate.Release();
            Evict();
        }
    }

    private void Evict()
    {
        while (_runs.Count > MaxRuns)
        {
            var oldest = _runs.MinBy(p => p.Value.LastUsed);
            _runs.TryRemove(oldest.Key, out _);
        }
    }
}

/// <summary>One run's real evaluations (seed copies and migrants left out, as the run counts them) and model calls.</summary>
public sealed class RunSeries(Guid runId)
{
    /// <summary>The engine's operator names for copies that share another program's evaluation (RunLoop).</summary>
    private const string SeedOperator = "seed";
    private const string MigrationOperator = "migration";

    private readonly HashSet<long> _included = [];
    private readonly Dictionary<string, int> _metricIndex = new(StringComparer.Ordinal);
    private long _readThrough;
    private long _lastCallId;

    internal SemaphoreSlim Gate { get; } = new(1, 1);

    internal long LastUsed { get; set; }

    /// <summary>Real evaluations in the order they finished.</summary>
    public List<SeriesEvaluation> Evaluations { get; } = [];

    /// <summary>Every model call attempt in id (start) order.</summary>
    public List<SeriesModelCall> ModelCalls { get; } = [];

    /// <summary>Names of the metrics any evaluation reported, in first-seen order; indexes into <see cref="SeriesEvaluation.Metrics"/>.</summary>
    public List<string> MetricNames { get; } = [];

    internal async Task RefreshAsync(EvoCodeDbContext db, CancellationToken cancellationToken)
    {
        var rows = await db.Candidates.AsNoTracking()
            .Where(c => c.RunId == runId && c.Sequence > _readThrough)
            .Select(c => new { c.Id, c.Sequence, c.State, c.Operator, c.ParentId, c.Score, c.Correct, c.Island, c.Model, c.EvaluatedAt, c.Metrics })
            .ToListAsync(cancellationToken);
        var pendingFrom = long.MaxValue;
        var fresh = new List<SeriesEvaluation>();
        foreach (var row in rows)
        {
            if (row.State == CandidateState.Pending)
            {
                pendingFrom = Math.Min(pendingFrom, row.Sequence);
                continue;
            }

            var copy = row.Operator == MigrationOperator || (row.Operator == SeedOperator && row.ParentId is not null);
            if (row.State != CandidateState.Evaluated || copy || !_included.Add(row.Sequence))
            {
                continue;
            }

            fresh.Add(new SeriesEvaluation(row.Id, row.Sequence, row.EvaluatedAt ?? DateTimeOffset.MinValue, row.Score, row.Correct, row.Island, row.Operator, row.Model, Metrics(row.Metrics)));
        }

        fresh.Sort(static (a, b) => a.EvaluatedAt != b.EvaluatedAt ? a.EvaluatedAt.CompareTo(b.EvaluatedAt) : a.Sequence.CompareTo(b.Sequence));
        Evaluations.AddRange(fresh);
        if (rows.Count > 0)
        {
            _readThrough = pendingFrom == long.MaxValue ? rows.Max(r => r.Sequence) : pendingFrom - 1;
        }

        var calls = await db.ModelCalls.AsNoTracking()
            .Where(c => c.RunId == runId && c.Id > _lastCallId)
            .OrderBy(c => c.Id)
            .Select(c => new SeriesModelCall(c.Id, c.Model, c.StartedAt, c.InputTokens, c.OutputTokens, c.Cost))
            .ToListAsync(cancellationToken);
        ModelCalls.AddRange(calls);
        if (calls.Count > 0)
        {
            _lastCallId = calls[^1].Id;
        }
    }

    private double[] Metrics(Dictionary<string, double> metrics)
    {
        foreach (var name in metrics.Keys)
        {
            if (!_metricIndex.ContainsKey(name))
            {
                _metricIndex[name] = MetricNames.Count;
                MetricNames.Add(name);
            }
        }

        var values = new double[MetricNames.Count];
        Array.Fill(values, double.NaN);
        foreach (var (name, value) in metrics)
        {
            values[_metricIndex[name]] = value;
        }

        return values;
    }

    /// <summary>The index of a metric, or -1.</summary>
    public int MetricIndex(string name) => _metricIndex.TryGetValue(name, out var i) ? i : -1;
}

public sealed record SeriesEvaluation(Guid Id, long Sequence, DateTimeOffset EvaluatedAt, double? Score, bool? Correct, int Island, string Operator, string? Model, double[] Metrics)
{
    public double Metric(int index) => index >= 0 && index < Metrics.Length ? Metrics[index] : double.NaN;
}

public sealed record SeriesModelCall(long Id, string Model, DateTimeOffset StartedAt, int? InputTokens, int? OutputTokens, decimal? Cost);
