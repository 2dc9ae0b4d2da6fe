using System.Collections.Concurrent;
using EvoCode.Evaluators.Contract;
using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Llm;
using EvoCode.Evolver.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EvoCode.Evolver.Engine;

/// <summary>
/// Claims runs and drives one <see cref="RunLoop"/> per claimed run. A run is claimed through a lease in its
/// row, so on PostgreSQL several server processes share the work and a run whose server died is resumed by
/// whoever sees its lease expire (its own server at once, on restart).
/// </summary>
public sealed partial class EvolutionEngine(
    IDbContextFactory<EvoCodeDbContext> contexts,
    IServiceProvider services,
    RunEventHub hub,
    TimeProvider time,
    IOptions<EngineOptions> options,
    ILogger<EvolutionEngine> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, ActiveRun> _active = new();
    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>Runs this instance drives now.</summary>
    public IReadOnlyCollection<Guid> ActiveRuns => [.. _active.Keys];

    /// <summary>Look for work now rather than at the next poll.</summary>
    public void Wake() => _wake.Release();

    /// <summary>Stops a run's loop (after a pause or cancel was stored); pending programs stay pending.</summary>
    public async Task StopAsync(Guid runId)
    {
        if (_active.TryGetValue(runId, out var active))
        {
            await active.Stop.CancelAsync();
            await active.Task;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await HeartbeatAsync(stoppingToken);
                    await ClaimAsync(stoppingToken);
                    await _wake.WaitAsync(options.Value.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception e)
                {
                    LogPollFailed(logger, e);
                    await Task.Delay(options.Value.PollInterval, time, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            // Whatever ended the polling, no run loop may outlive the engine.
            foreach (var active in _active.Values)
            {
                await active.Stop.CancelAsync();
            }

            await Task.WhenAll(_active.Values.Select(a => a.Task));
        }
    }

    /// <summary>Extends our leases, and stops loops whose run a user paused or cancelled from another process.</summary>
    private async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        if (_active.IsEmpty)
        {
            return;
        }

        var ids = _active.Keys.ToList();
        var until = time.GetUtcNow() + options.Value.LeaseDuration;
        var me = options.Value.InstanceId;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Runs.Where(r => ids.Contains(r.Id) && r.Owner == me && r.Status == RunStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseExpiresAt, until), cancellationToken);
        var stillMine = await db.Runs.AsNoTracking().Where(r => ids.Contains(r.Id) && r.Owner == me && r.Status == RunStatus.Running)
            .Select(r => r.Id).ToListAsync(cancellationToken);
        foreach (var id in ids.Except(stillMine))
        {
            if (_active.TryGetValue(id, out var active))
            {
                await active.Stop.CancelAsync();
            }
        }
    }

    private async Task ClaimAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var me = options.Value.InstanceId;
        var until = now + options.Value.LeaseDuration;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var claimable = await db.Runs.AsNoTracking()
            .Where(r => r.Status == RunStatus.Pending
                || (r.Status == RunStatus.Running && (r.Owner == null || r.Owner == me || r.LeaseExpiresAt < now)))
            .OrderBy(r => r.CreatedAt)
            .Select(r => r.Id)
            .ToListAsync(cancellationToken);

        foreach (var id in claimable.Where(id => !_active.ContainsKey(id)))
        {
            // The conditional update is the claim: of several instances racing, exactly one changes the row.
            var claimed = await db.Runs
                .Where(r => r.Id == id && (r.Status == RunStatus.Pending
                    || (r.Status == RunStatus.Running && (r.Owner == null || r.Owner == me || r.LeaseExpiresAt < now))))
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RunStatus.Running).SetProperty(r => r.Owner, me).SetProperty(r => r.LeaseExpiresAt, until), cancellationToken);
            if (claimed == 1)
            {
                await RunStarted.RecordAsync(db, id, time, cancellationToken);
                hub.Notify(id);
                Start(id);
            }
        }
    }

    private void Start(Guid runId)
    {
        var stop = new CancellationTokenSource();
        var loop = new RunLoop(
            runId,
            contexts,
            services.GetRequiredService<IEvaluatorResolver>(),
            services.GetRequiredService<ICandidateRunner>(),
            services.GetRequiredService<IOperatorSource>(),
            options.Value.CompileScreen ? services.GetService<ICodeCheck>() : null,
            hub,
            time,
            options.Value,
            logger);
        var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var task = Task.Run(
            async () =>
            {
                // Wait until the run is in the table, so its removal below can never come first.
                await registered.Task;
                try
                {
                    await loop.RunAsync(stop.Token);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The run keeps its Running status and lease; it is picked up again when the lease runs out.
                    LogLoopCrashed(logger, e, runId);
                }
                finally
                {
                    _active.TryRemove(runId, out _);
                    stop.Dispose();
                    hub.Notify(runId);
                }
            },
            CancellationToken.None);
        _active[runId] = new ActiveRun(task, stop);
        registered.SetResult();
    }

    private sealed record ActiveRun(Task Task, CancellationTokenSource Stop);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking for runs failed; trying again at the next poll")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The loop of run {RunId} crashed; the run resumes when its lease expires")]
    private static partial void LogLoopCrashed(ILogger logger, Exception exception, Guid runId);
}
