using System.Globalization;
using System.Threading.Channels;
using EvoCode.Sandbox.Configuration;
using EvoCode.Sandbox.Jail;
using Microsoft.Extensions.Logging;

namespace EvoCode.Sandbox.Pool;

/// <summary>
/// Keeps <see cref="SandboxOptions.Workers"/> warm, jailed worker processes. A caller borrows one, uses it
/// for one request, and hands it back; a worker that timed out, crashed, asked to be recycled or reached
/// its run quota is killed and its slot refilled in the background.
/// </summary>
internal sealed class WorkerPool : IAsyncDisposable
{
    private const int MaxFrameBytes = 64 * 1024 * 1024;

    private readonly SandboxOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<WorkerProcess> _idle = Channel.CreateUnbounded<WorkerProcess>();
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _spawns = [];
    private readonly Lock _lock = new();
    private readonly HashSet<WorkerProcess> _live = [];
    private ProcessJail? _jail;
    private string _workerPath = string.Empty;
    private string _dotnetHost = string.Empty;
    private string _dotnetRoot = string.Empty;
    private int _disposed;

    public WorkerPool(SandboxOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
    }

    public ProcessJail Jail => _jail ?? throw new InvalidOperationException("The sandbox pool has not started.");

    public bool Started => _jail is not null;

    public int IdleWorkers => _idle.Reader.CanCount ? _idle.Reader.Count : 0;

    public string DotnetRoot => _dotnetRoot;

    /// <summary>Settles the jail (failing if full isolation is required and missing) and starts filling the slots.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _workerPath = WorkerLocation.WorkerPath(_options);
        (_dotnetHost, _dotnetRoot) = WorkerLocation.DotnetHost(_options);
        _jail = await ProcessJail.CreateAsync(_options, _dotnetRoot, cancellationToken);
        foreach (var warning in _jail.Warnings)
        {
            _logger.LogWarning("Sandbox: {Warning}", warning);
        }

        _logger.LogInformation("Sandbox isolation {Level}: {Measures}", _jail.Level, string.Join("; ", _jail.Measures));
        for (var slot = 0; slot < _options.Workers; slot++)
        {
            Refill(slot);
        }
    }

    /// <summary>Waits until every slot holds a ready worker (for benchmarks and tests that want a warm pool).</summary>
    public async Task WaitUntilWarmAsync(CancellationToken cancellationToken)
    {
        while (IdleWorkers < _options.Workers)
        {
            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>Borrows a ready worker, waiting for one if all are busy or starting.</summary>
    public ValueTask<WorkerProcess> RentAsync(CancellationToken cancellationToken) => _idle.Reader.ReadAsync(cancellationToken);

    /// <summary>Returns a worker; <paramref name="keep"/> false (or an exhausted quota) replaces it.</summary>
    public void Return(WorkerProcess worker, bool keep)
    {
        if (keep && !worker.HasExited && worker.Runs < _options.MaxRunsPerWorker && Volatile.Read(ref _disposed) == 0 && _idle.Writer.TryWrite(worker))
        {
            return;
        }

        Discard(worker);
        if (Volatile.Read(ref _disposed) == 0)
        {
            Refill(worker.Slot);
        }
    }

    /// <summary>The host user id for a worker slot, or null when the server cannot switch users.</summary>
    public int? UserIdFor(int slot) => Jail.SwitchesUser ? _options.SandboxUserIdBase + slot : null;

    public async ValueTask DisposeAsync()
    {
        // The hosted service stops the pool and the container disposes it again.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        _idle.Writer.TryComplete();
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

        _stopping.Dispose();
    }

    private void Discard(WorkerProcess worker)
    {
        lock (_lock)
        {
            _live.Remove(worker);
        }

        worker.Dispose();
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
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                var start = Jail.CreateStartInfo(WorkerSpec(slot));
                var worker = await WorkerProcess.StartAsync(start, slot, MaxFrameBytes, _options.WorkerStartTimeout, _stopping.Token);
                lock (_lock)
                {
                    _live.Add(worker);
                }

                if (_stopping.IsCancellationRequested || !_idle.Writer.TryWrite(worker))
                {
                    Discard(worker);
                }

                return;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The refill loop must survive any start-up failure and retry with back-off.
            catch (Exception e)
#pragma warning restore CA1031
            {
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
            ["DOTNET_gcServer"] = "0",
            ["DOTNET_GCHeapHardLimit"] = _options.MaxMemoryBytes.ToString("X", CultureInfo.InvariantCulture),
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };

        // A warm worker lives for many runs; its CPU limit is a lifetime safety net, the wall clock is the real one.
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
