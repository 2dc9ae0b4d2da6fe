using System.Collections.Concurrent;
using EvoCode.Evolver.Persistence;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Api.Series;

/// <summary>
/// Each watched run's series (the entries the engine appends as it commits each evaluation) and model calls, read
/// from the store once and then only what is new: a dashboard polling a 100,000-program run costs one small range
/// read per call, not a scan of its programs. Kept in memory for the most recently watched runs.
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
            await series.RefreshAsync(contexts, cancellationToken);

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

/// <summary>One run's evaluations as the run counted them (seed copies and migrants are not entries) and model calls.</summary>
public sealed class RunSeries
{
    private readonly Guid _runId;
    private readonly Dictionary<string, int> _metricIndex = new(StringComparer.Ordinal);
    private long _lastCallId;

    internal RunSeries(Guid runId) => _runId = runId;

    internal SemaphoreSlim Gate { get; } = new(1, 1);

    internal long LastUsed { get; set; }

    /// <summary>Evaluations in the order the run counted them: entry i is evaluation i + 1.</summary>
    public List<SeriesEvaluation> Evaluations { get; } = [];

    /// <summary>Every model call attempt in id (start) order.</summary>
    public List<SeriesModelCall> ModelCalls { get; } = [];

    /// <summary>Names of the metrics any evaluation reported, in first-seen order; indexes into <see cref="SeriesEvaluation.Metrics"/>.</summary>
    public List<string> MetricNames { get; } = [];

    /// <summary>Reads what is new: the entries and the model calls in parallel (independent reads, each on its own context).</summary>
    internal async Task RefreshAsync(IDbContextFactory<EvoCodeDbContext> contexts, CancellationToken cancellationToken)
    {
        await Task.WhenAll(ReadEntriesAsync(contexts, cancellationToken), ReadCallsAsync(contexts, cancellationToken));
    }

    private async Task ReadEntriesAsync(IDbContextFactory<EvoCodeDbContext> contexts, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        long readThrough = Evaluations.Count;
        var entries = await db.RunSeries.AsNoTracking()
            .Where(e => e.RunId == _runId && e.Evaluation > readThrough)
            .OrderBy(e => e.Evaluation)
            .Select(e => new { e.CandidateId, e.Sequence, e.EvaluatedAt, e.Score, e.Correct, e.Island, e.Operator, e.Model, e.Metrics })
            .ToListAsync(cancellationToken);
        foreach (var e in entries)
        {
            Evaluations.Add(new SeriesEvaluation(e.CandidateId, e.Sequence, e.EvaluatedAt, e.Score, e.Correct, e.Island, e.Operator, e.Model, Metrics(e.Metrics)));
        }
    }

    private async Task ReadCallsAsync(IDbContextFactory<EvoCodeDbContext> contexts, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var calls = await db.ModelCalls.AsNoTracking()
            .Where(c => c.RunId == _runId && c.Id > _lastCallId)
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

public sealed record SeriesEvaluation(Guid Id, long Sequence, DateTimeOffset EvaluatedAt, double? Score, bool Correct, int Island, string Operator, string? Model, double[] Metrics)
{
    public double Metric(int index) => index >= 0 && index < Metrics.Length ? Metrics[index] : double.NaN;
}

public sealed record SeriesModelCall(long Id, string Model, DateTimeOffset StartedAt, int? InputTokens, int? OutputTokens, decimal? Cost);
