using System.Diagnostics;
using EvoCode.Sandbox.Protocol;

namespace EvoCode.Sandbox.Pool;

/// <summary>One jailed worker process and its protocol pipes. Used by one request at a time.</summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly Stream _input;
    private readonly Stream _output;
    private readonly StderrTail _stderr;
    private readonly int _maxFrameBytes;
    private Task<WorkerResponse?>? _pendingRead;
    private volatile bool _disposed;

    private WorkerProcess(Process process, int slot, int maxFrameBytes)
    {
        _process = process;
        ProcessId = process.Id;
        Slot = slot;
        _maxFrameBytes = maxFrameBytes;
        _input = process.StandardInput.BaseStream;
        _output = process.StandardOutput.BaseStream;
        _stderr = new StderrTail(process.StandardError);
    }

    public int Slot { get; }

    /// <summary>Set by the pool while a caller holds the worker (guarded by the pool's lock).</summary>
    public bool Rented { get; set; }

    /// <summary>Set by the pool once the worker has left it (guarded by the pool's lock).</summary>
    public bool Discarded { get; set; }

    /// <summary>Completes when the process exits.</summary>
    public Task Exited { get; private set; } = Task.CompletedTask;

    public int? ExitCode => !_disposed && _process.HasExited ? _process.ExitCode : null;

    public int Runs { get; private set; }

    public int ProcessId { get; }

    public bool HasExited => _disposed || _process.HasExited;

    /// <summary>The identity of the worker's compiler, policy and references, from its ready frame.</summary>
    public string? ReferenceSet { get; private set; }

    /// <summary>Starts the process and waits for its ready frame.</summary>
    /// <exception cref="InvalidOperationException">The worker did not become ready in time.</exception>
    public static async Task<WorkerProcess> StartAsync(ProcessStartInfo start, int slot, int maxFrameBytes, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var process = await ProcessLauncher.StartAsync(start);
        var worker = new WorkerProcess(process, slot, maxFrameBytes);
        worker.Exited = process.WaitForExitAsync(CancellationToken.None);
        try
        {
            var ready = worker.NextFrame();
            var finished = await Task.WhenAny(ready, Task.Delay(timeout, cancellationToken));
            if (finished != ready)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw new InvalidOperationException($"The worker did not become ready within {timeout.TotalSeconds:0} s. {worker.Stderr()}");
            }

            var frame = await ready;
            worker._pendingRead = null;
            if (frame?.Stage != ResponseStages.Ready)
            {
                // Wait for the reason (bubblewrap's or the runtime's message) before reporting.
                await worker.SettleAsync();
                throw new InvalidOperationException($"The worker exited during start-up (exit {worker.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}). {worker.Stderr()}");
            }

            worker.ReferenceSet = frame.ReferenceSet;
            return worker;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or System.Text.Json.JsonException)
        {
            worker.Kill();
            worker.Dispose();
            throw new InvalidOperationException($"The worker broke the protocol during start-up: {e.Message} {worker.Stderr()}", e);
        }
        catch
        {
            worker.Kill();
            worker.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends a request and waits for the answer under two deadlines: the compile deadline until the worker
    /// reports the end of compilation, then the run deadline. A missed deadline kills the process tree.
    /// <paramref name="step"/> is told each step of the exchange (tests kill the worker there).
    /// </summary>
    public async Task<WorkerExchange> ExchangeAsync(WorkerRequest request, TimeSpan compileDeadline, TimeSpan runDeadline, Func<ExchangeStep, WorkerProcess, Task>? step, CancellationToken cancellationToken)
    {
        Runs++;
        var clock = Stopwatch.StartNew();
        var compiled = false;
        if (step is not null)
        {
            await step(ExchangeStep.Rented, this);
        }

        try
        {
            await Frames.WriteAsync(_input, request, ProtocolJsonContext.Default.WorkerRequest, cancellationToken);
        }
        catch (IOException e)
        {
            // The worker was gone before it saw the program: never the program's fault.
            return (await DiedAsync(compiled, clock, e.Message)) with { Sent = false };
        }

        try
        {
            if (step is not null)
            {
                await step(ExchangeStep.Sent, this);
            }

            while (true)
            {
                var frameTask = NextFrame();
                var deadline = compiled ? runDeadline : compileDeadline;
                using var delay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var finished = await Task.WhenAny(frameTask, Task.Delay(deadline, delay.Token));
                if (finished != frameTask)
                {
                    Kill();
                    cancellationToken.ThrowIfCancellationRequested();
                    return new WorkerExchange(compiled ? ExchangeEnd.RunTimedOut : ExchangeEnd.CompileTimedOut, null, compiled, null, Stderr(), clock.Elapsed);
                }

                await delay.CancelAsync();
                _pendingRead = null;
                var frame = await frameTask;
                if (frame is null || frame.Nonce != request.Nonce)
                {
                    return await DiedAsync(compiled, clock, frame is null ? "end of stream" : "wrong nonce");
                }

                if (frame.Stage == ResponseStages.Compiled)
                {
                    compiled = true;
                    if (step is not null)
                    {
                        await step(ExchangeStep.Compiled, this);
                    }

                    continue;
                }

                return new WorkerExchange(ExchangeEnd.Answered, frame, compiled, null, string.Empty, clock.Elapsed);
            }
        }
        catch (FrameTooLargeException)
        {
            Kill();
            return new WorkerExchange(ExchangeEnd.Flooded, null, compiled, null, Stderr(), clock.Elapsed);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or System.Text.Json.JsonException)
        {
            return await DiedAsync(compiled, clock, e.Message);
        }
    }

    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        Kill();
        _disposed = true;
        _process.Dispose();
    }

    private async Task<WorkerExchange> DiedAsync(bool compiled, Stopwatch clock, string detail)
    {
        Kill();
        await SettleAsync();
        return new WorkerExchange(ExchangeEnd.Died, null, compiled, ExitCode, $"{Stderr()} ({detail})".Trim(), clock.Elapsed);
    }

    /// <summary>Waits (at most 5 s) for the process to exit and its stderr to drain.</summary>
    private async Task SettleAsync()
    {
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _process.WaitForExitAsync(wait.Token);
            await _stderr.Drained.WaitAsync(wait.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException)
        {
            // Reported with whatever is known (the pool may have disposed the process while stopping).
        }
    }

    private Task<WorkerResponse?> NextFrame() =>
        _pendingRead ??= Frames.ReadAsync(_output, ProtocolJsonContext.Default.WorkerResponse, _maxFrameBytes, CancellationToken.None);

    private string Stderr()
    {
        var text = _stderr.ToString().Trim();
        return text.Length <= 2000 ? text : text[^2000..];
    }
}
