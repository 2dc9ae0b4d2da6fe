using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using EvoCode.Sandbox.Configuration;
using EvoCode.Sandbox.Jail;
using Microsoft.Extensions.Logging;

namespace EvoCode.Sandbox.Pool;

/// <summary>
/// Keeps warm, jailed worker processes in two lanes: <see cref="SandboxOptions.Workers"/> evaluation slots and
/// <see cref="SandboxOptions.CompileWorkers"/> compile slots, so a compile check never waits behind a running
/// evaluation (slots 0..Workers-1 evaluate, the ones after compile). A caller borrows one, uses it
/// for one request, and hands it back; a worker that timed out, crashed, asked to be recycled, reached its
/// run quota or died while idle is replaced in the background. Counts are of live processes, never of slots.
/// (Over 300 lines: renting, returning, replacing, watching and spawning share one lock and one live set.)
/// </summary>
internal sealed class WorkerPool : IAsyncDisposable
{
    private const int MaxFrameBytes = 64 * 1024 * 1024;

    private readonly SandboxOptions _options;
    private readonly ILogger _logger;
    // One idle queue per lane. A waiting renter blocks on its queue; an idle worker blocks on its stdin: neither spins.
    private readonly Channel<WorkerProcess>[] _idle = [Channel.CreateUnbounded<WorkerProcess>(), Channel.CreateUnbounded<WorkerProcess>()];
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _spawns = [];
    private readonly Lock _lock = new();
    private readonly HashSet<WorkerProcess> _live = [];
    private ProcessJail? _jail;
    private UserIdRange? _userIds;
    private string _workerPath = string.Empty;
    private string _dotnetHost = string.Empty;
    private string _dotnetRoot = string.Empty;
    private volatile string? _startFailure;
    private int _started;

    // Callers waiting in RentAsync, per lane: a new worker cuts its warm-up short while work waits for it.
    private readonly int[] _renters = new int[2];

    // Worker starts in progress per lane, and start failures so far: a renter gives up after WorkerWaitTimeout only when
    // nothing is starting or a start has failed meanwhile, never while a start (bounded by its own timeouts) is on its way.
    private readonly int[] _starting = new int[2];
    private int _startFailures;
    private int _disposed;

    public WorkerPool(SandboxOptions options, ILogger logger, WorkerWarmup warmup)
    {
        _options = options;
        _logger = logger;
        Warmup = warmup;
    }

    /// <summary>Warms each new worker before it is handed out.</summary>
    public WorkerWarmup Warmup { get; }

    public ProcessJail Jail => _jail ?? throw new InvalidOperationException("The sandbox pool has not started.");

    public bool Started => _jail is not null;

    public bool Stopping => _stopping.IsCancellationRequested;

    /// <summary>Worker processes alive and waiting for work.</summary>
    public int IdleWorkers => Count(w => !w.Rented);

    /// <summary>Worker processes alive, idle or busy.</summary>
    public int LiveWorkers => Count(_ => true);

    /// <summary>Workers that became ready since the pool started (tests prove no worker was replaced).</summary>
    public int WorkersStarted => Volatile.Read(ref _started);

    /// <summary>Why the last worker start failed, until a worker starts again; null when the last start worked.</summary>
    public string? StartFailure => _startFailure;

    /// <summary>The first user id of this server's locked block.</summary>
    public int UserIdBase => _userIds?.Base ?? _options.SandboxUserIdBase;

    public string DotnetRoot => _dotnetRoot;

    /// <summary>The reference set the last ready worker reported (null until one is ready); kept compilations are keyed by it.</summary>
    public string? ReferenceSet { get; private set; }

    /// <summary>All slots of both lanes.</summary>
    public int Slots => _options.Workers + _options.CompileWorkers;

    /// <summary>The lane a slot belongs to.</summary>
    public WorkerLane LaneOf(int slot) => slot < _options.Workers ? WorkerLane.Evaluation : WorkerLane.Compile;

    /// <summary>The slots of a lane.</summary>
    public int SlotsOf(WorkerLane lane) => lane == WorkerLane.Evaluation ? _options.Workers : _options.CompileWorkers;

    /// <summary>Tells each step of every exchange to a test, which may kill the worker there.</summary>
    internal Func<ExchangeStep, WorkerProcess, Task>? StepHook { get; set; }

    /// <summary>Takes a user id block, settles the jail (failing if full isolation is required and missing) and starts filling the slots.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _workerPath = WorkerLocation.WorkerPath(_options);
        (_dotnetHost, _dotnetRoot) = WorkerLocation.DotnetHost(_options);
        _userIds = Environment.IsPrivilegedProcess ? UserIdRange.Acquire(_options.SandboxUserIdBase) : UserIdRange.Unlocked(_options.SandboxUserIdBase);
        _jail = await ProcessJail.CreateAsync(_options, _dotnetRoot, _userIds.Base, cancellationToken);
        foreach (var warning in _jail.Warnings)
        {
            _logger.LogWarning("Sandbox: {Warning}", warning);
        }

        _logger.LogInformation("Sandbox isolation {Level}: {Measures}", _jail.Level, string.Join("; ", _jail.Measures));
        for (var slot = 0; slot < Slots; slot++)
        {
            Refill(slot);
        }
    }

    /// <summary>Waits until every slot holds a ready worker (for benchmarks and tests that want a warm pool).</summary>
    public async Task WaitUntilWarmAsync(CancellationToken cancellationToken)
    {
        while (IdleWorkers < Slots)
        {
            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>
    /// Borrows a ready worker, waiting while any worker is alive (busy ones come back within their limits);
    /// when none is alive for <see cref="SandboxOptions.WorkerWaitTimeout"/>, fails with the cause.
    /// </summary>
    /// <exception cref="SandboxUnavailableException">No worker could be had, or the pool is stopping.</exception>
    public async Task<WorkerProcess> RentAsync(WorkerLane lane, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _renters[(int)lane]);
        try
        {
            return await WaitForWorkerAsync(lane, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _renters[(int)lane]);
        }
    }

    private async Task<WorkerProcess> WaitForWorkerAsync(WorkerLane lane, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var failuresBefore = Volatile.Read(ref _startFailures);
        while (true)
        {
            WorkerProcess worker;
            using (var slice = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                slice.CancelAfter(TimeSpan.FromMilliseconds(250));
                try
                {
                    worker = await _idle[(int)lane].Reader.ReadAsync(slice.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    if (Count(w => LaneOf(w.Slot) == lane) == 0 && clock.Elapsed >= _options.WorkerWaitTimeout
                        && (Volatile.Read(ref _starting[(int)lane]) == 0 || Volatile.Read(ref _startFailures) != failuresBefore))
                    {
                        throw new SandboxUnavailableException(Unavailable());
                    }

                    continue;
                }
                catch (ChannelClosedException e)
                {
                    throw new SandboxUnavailableException("The sandbox is stopping.", e);
                }
            }

            lock (_lock)
            {
                if (worker.Discarded || worker.HasExited)
                {
                    // Died while idle: its exit watch replaces it.
                    continue;
                }

                worker.Rented = true;
            }

            return worker;
        }
    }

    /// <summary>Returns a worker; <paramref name="keep"/> false (or an exhausted quota) replaces it, logging <paramref name="reason"/>.</summary>
    public void Return(WorkerProcess worker, bool keep, string reason)
    {
        if (keep && worker.Runs >= _options.MaxRunsPerWorker)
        {
            keep = false;
            reason = $"reached its quota of {_options.MaxRunsPerWorker} runs";
        }

        lock (_lock)
        {
            worker.Rented = false;
            if (keep && !worker.HasExited && !Stopping && _idle[(int)LaneOf(worker.Slot)].Writer.TryWrite(worker))
            {
                return;
            }
        }

        Replace(worker, reason);
    }

    /// <summary>The host user id for a worker slot, or null when the server cannot switch users.</summary>
    public int? UserIdFor(int slot) => Jail.SwitchesUser ? UserIdBase + slot : null;

    /// <summary>Live worker processes (tests kill them).</summary>
    internal IReadOnlyList<WorkerProcess> LiveProcesses()
    {
        lock (_lock)
        {
            return [.. _live.Where(w => !w.HasExited)];
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The hosted service stops the pool and the container disposes it again.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        foreach (var idle in _idle)
        {
            idle.Writer.TryComplete();
        }

        Task[] spawns;
        lock (_lock)
        {
            spawns = [.. _spawns];
        }

        try
        {
            await Task.WhenAll(spawns).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or InvalidOperationException)
        {
            // Spawns abandoned on shutdown; their processes are killed below.
        }

        WorkerProcess[] live;
        lock (_lock)
        {
            live = [.. _live];
        }

        foreach (var worker in live)
        {
            Discard(worker);
        }

        _jail?.DeleteFiles();
        _userIds?.Dispose();
        _stopping.Dispose();
    }

    private int Count(Func<WorkerProcess, bool> predicate)
    {
        lock (_lock)
        {
            return _live.Count(w => !w.HasExited && predicate(w));
        }
    }

    private string Unavailable() =>
        _startFailure is { } failure
            ? $"The sandbox could not start any worker within {_options.WorkerWaitTimeout.TotalSeconds:0} s (Sandbox:WorkerWaitTimeout): {failure}"
            : $"No sandbox worker became ready within {_options.WorkerWaitTimeout.TotalSeconds:0} s (Sandbox:WorkerWaitTimeout); workers are still starting.";

    private bool Discard(WorkerProcess worker)
    {
        bool first;
        lock (_lock)
        {
            first = !worker.Discarded;
            worker.Discarded = true;
            _live.Remove(worker);
        }

        worker.Dispose();
        return first;
    }

    private void Replace(WorkerProcess worker, string reason)
    {
        if (Discard(worker) && !Stopping)
        {
            _logger.LogInformation("Sandbox worker {Pid} in slot {Slot} replaced: {Reason}", worker.ProcessId, worker.Slot, reason);
            Refill(worker.Slot);
        }
    }

    private void Refill(int slot)
    {
        lock (_lock)
        {
            _spawns.RemoveAll(t => t.IsCompleted);
            _spawns.Add(Task.Run(() => SpawnAsync(slot)));
        }
    }

    private async Task SpawnAsync(int slot)
    {
        var backoff = TimeSpan.FromMilliseconds(250);
        var lane = (int)LaneOf(slot);
        while (!Stopping)
        {
            Interlocked.Increment(ref _starting[lane]);
            try
            {
                if (UserIdFor(slot) is { } userId)
                {
                    await UserTasks.EndAllAsync(userId, _stopping.Token);
                }

                var start = Jail.CreateStartInfo(WorkerSpec(slot));
                var worker = await WorkerProcess.StartAsync(start, slot, MaxFrameBytes, _options.WorkerStartTimeout, _stopping.Token);
                if (!await WarmAsync(worker))
                {
                    throw new InvalidOperationException("A warm-up program did not compile in time on the new worker; it is dropped from the warm-up programs.");
                }

                Interlocked.Increment(ref _started);
                _startFailure = null;
                ReferenceSet = worker.ReferenceSet;
                lock (_lock)
                {
                    _live.Add(worker);
                    if (!Stopping && _idle[lane].Writer.TryWrite(worker))
                    {
                        _ = WatchAsync(worker);
                        return;
                    }
                }

                Discard(worker);
                return;
            }
            catch (OperationCanceledException) when (Stopping)
            {
                return;
            }
#pragma warning disable CA1031 // The refill loop must survive any start-up failure and retry with back-off.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _startFailure = e.Message;
                Interlocked.Increment(ref _startFailures);
                _logger.LogError(e, "Sandbox worker slot {Slot} failed to start; retrying in {Backoff}", slot, backoff);
                try
                {
                    await Task.Delay(backoff, _stopping.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
            finally
            {
                Interlocked.Decrement(ref _starting[lane]);
            }
        }
    }

    /// <summary>Warms a new worker; one that fails or is interrupted is killed (it never joined the live set).</summary>
    private async Task<bool> WarmAsync(WorkerProcess worker)
    {
        var warm = false;
        try
        {
            var lane = (int)LaneOf(worker.Slot);
            warm = await Warmup.WarmAsync(worker, () => Volatile.Read(ref _renters[lane]) > 0, _stopping.Token);
            return warm;
        }
        finally
        {
            if (!warm)
            {
                worker.Dispose();
            }
        }
    }

    /// <summary>A worker that dies while idle is replaced at once, so counts and the next caller never meet a dead one.</summary>
    private async Task WatchAsync(WorkerProcess worker)
    {
        await worker.Exited;
        bool idle;
        lock (_lock)
        {
            idle = !worker.Rented && !worker.Discarded;
        }

        if (idle)
        {
            Replace(worker, $"exited while idle (exit code {worker.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "unknown"})");
        }
    }

    private JailSpec WorkerSpec(int slot)
    {
        var directory = Path.GetDirectoryName(_workerPath)!;
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = "/tmp",
            ["TMPDIR"] = "/tmp",
            ["PATH"] = "/usr/bin:/bin",
            ["DOTNET_ROOT"] = _dotnetRoot,
            ["DOTNET_EnableDiagnostics"] = "0",
            ["DOTNET_EnableWriteXorExecute"] = "0",
            ["DOTNET_TieredPGO"] = "0",
            // Promote hot methods to optimized code as soon as they are hot, not after start-up has gone quiet.
            ["DOTNET_TC_CallCountingDelayMs"] = "0",
            ["DOTNET_gcServer"] = "0",
            ["DOTNET_GCHeapHardLimit"] = _options.MaxMemoryBytes.ToString("X", CultureInfo.InvariantCulture),
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };

        // A warm worker lives for many runs; its CPU limit is a lifetime safety net, each request's CPU budget is the real one.
        var cpuSeconds = (long)Math.Ceiling(_options.MaxRunsPerWorker * (_options.MaxWallTime + _options.CompileTimeout).TotalSeconds) + 120;
        var limits = new JailLimits(
            _options.MaxProcesses,
            _options.MaxOpenFiles,
            _options.MaxFileBytes,
            cpuSeconds,
            AddressSpaceBytes: null);
        var inJail = Jail.Level == JailLevel.Full;
        return new JailSpec(
            _dotnetHost,
            [_workerPath],
            environment,
            directory,
            ProcessJail.AppTarget,
            null,
            null,
            inJail ? ProcessJail.AppTarget : directory,
            UserIdFor(slot),
            limits);
    }
}

/// <summary>The pool's lanes: compile checks have slots of their own, so they never queue behind evaluations.</summary>
internal enum WorkerLane
{
    /// <summary>Runs (compiling first when no kept compilation exists).</summary>
    Evaluation = 0,

    /// <summary>Compile-and-policy checks; nothing runs here.</summary>
    Compile = 1,
}
