using EvoCode.Sandbox.Configuration;
using EvoCode.Sandbox.Protocol;

namespace EvoCode.Sandbox.Pool;

/// <summary>
/// Warms each new worker on representative programs before the pool hands it out: the last programs the sandbox
/// compiled cleanly (the server's examples until real work arrives), each sent as a compile check, so the JIT has
/// compiled and promoted Roslyn's hot paths for the code this server actually sees. A program that breaks a
/// warm-up is never used again.
/// </summary>
internal sealed class WorkerWarmup(SandboxOptions options, Func<string, string, WorkerRequest> request)
{
    private const int Kept = 16;

    private readonly Lock _lock = new();
    private readonly List<string> _recent = [];
    private int _next;

    /// <summary>Programs kept for warming, newest last.</summary>
    public int Programs
    {
        get
        {
            lock (_lock)
            {
                return _recent.Count;
            }
        }
    }

    /// <summary>Keeps a program that compiled cleanly as a warm-up program (the oldest leaves once <see cref="Kept"/> are held).</summary>
    public void Remember(string source)
    {
        lock (_lock)
        {
            if (_recent.Contains(source))
            {
                return;
            }

            if (_recent.Count == Kept)
            {
                _recent.RemoveAt(_next);
                _recent.Insert(_next, source);
                _next = (_next + 1) % Kept;
                return;
            }

            _recent.Add(source);
        }
    }

    /// <summary>
    /// Sends up to <see cref="SandboxOptions.WarmupCompiles"/> checks to a new worker; false (the worker is spent) when one
    /// did not answer. After the first check it stops as soon as <paramref name="awaited"/> says work is waiting for the
    /// worker: warming uses idle time, and a replacement warmed eight times over on a loaded machine kept evaluations
    /// waiting past <see cref="SandboxOptions.WorkerWaitTimeout"/>.
    /// </summary>
    public async Task<bool> WarmAsync(WorkerProcess worker, Func<bool> awaited, CancellationToken cancellationToken)
    {
        string[] programs;
        lock (_lock)
        {
            programs = [.. _recent];
        }

        for (var i = 0; i < options.WarmupCompiles && programs.Length > 0 && (i == 0 || !awaited()); i++)
        {
            var source = programs[i % programs.Length];
            var deadline = (options.CompileTimeout * options.WallClockBackstopFactor) + TimeSpan.FromSeconds(5) + options.Grace;
            var exchange = await worker.ExchangeAsync(request(RequestKinds.Check, source), deadline, deadline, null, cancellationToken);
            if (exchange.End != ExchangeEnd.Answered)
            {
                Forget(source);
                return false;
            }
        }

        return true;
    }

    private void Forget(string source)
    {
        lock (_lock)
        {
            _recent.Remove(source);
            _next = 0;
        }
    }
}
