using System.Collections.Concurrent;
using System.Data.Common;
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
/// Claims runs through <see cref="RunClaims"/> and drives one <see cref="RunLoop"/> per claimed run. On PostgreSQL
/// several server processes share the work; a run whose server died is resumed by whoever sees its lease expire
/// (its own server at once, on restart), and a clean shutdown hands its runs back at once. Each loop writes
/// through the <see cref="RunFence"/> of its claim, so a former owner that wakes up late writes nothing (ADR-021).
/// </summary>
public sealed partial class EvolutionEngine(
    IDbContextFactory<EvoCodeDbContext> contexts,
    RunClaims claims,
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

            var held = _active.Values.Select(a => (a.Fence.RunId, a.Fence.Epoch)).ToList();
            await Task.WhenAll(_active.Values.Select(a => a.Task));
            await ReleaseAsync(held);
        }
    }

    /// <summary>Hands the runs back on a clean shutdown, so another instance takes them at its next poll rather than after the lease.</summary>
    private async Task ReleaseAsync(IReadOnlyCollection<(Guid RunId, long Epoch)> held)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await claims.ReleaseAsync(held, timeout.Token);
            LogHandedBack(logger, held.Count);
        }
        catch (Exception e) when (e is DbException or DbUpdateException or OperationCanceledException or InvalidOperationException)
        {
            // The leases run out instead.
            LogHandBackFailed(logger, e);
        }
    }

    /// <summary>Announces this instance, extends our leases, and stops loops whose run is not ours any more (a user paused or cancelled it from another process, or another claim owns it).</summary>
    private async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        await claims.AnnounceAsync(cancellationToken);
        foreach (var active in _active.Values)
        {
            if (!await claims.RenewAsync(active.Fence.RunId, active.Fence.Epoch, cancellationToken))
            {
                await active.Stop.CancelAsync();
            }
        }
    }

    private async Task ClaimAsync(CancellationToken cancellationToken)
    {
        foreach (var (runId, epoch) in await claims.ClaimAsync([.. _active.Keys], cancellationToken))
        {
            hub.Notify(runId);
            Start(runId, epoch);
        }
    }

    private void Start(Guid runId, long epoch)
    {
        var stop = new CancellationTokenSource();
        var fence = new RunFence(runId, epoch, stop, logger);
        var loop = new RunLoop(
            runId,
            fence,
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
        _active[runId] = new ActiveRun(task, stop, fence);
        registered.SetResult();
    }

    private sealed record ActiveRun(Task Task, CancellationTokenSource Stop, RunFence Fence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down: handed {Count} runs back")]
    private static partial void LogHandedBack(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handing the runs back failed; they move on when their leases run out")]
    private static partial void LogHandBackFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking for runs failed; trying again at the next poll")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The loop of run {RunId} crashed; the run resumes when its lease expires")]
    private static partial void LogLoopCrashed(ILogger logger, Exception exception, Guid runId);
}
