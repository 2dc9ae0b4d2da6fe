using EvoCode.Sandbox.Protocol;

namespace EvoCode.Sandbox.Pool;

/// <summary>How one request to a worker ended, seen from the pool.</summary>
internal enum ExchangeEnd
{
    /// <summary>The worker answered.</summary>
    Answered,

    /// <summary>The compile deadline passed; the worker was killed.</summary>
    CompileTimedOut,

    /// <summary>The run deadline passed; the worker was killed.</summary>
    RunTimedOut,

    /// <summary>The worker died or broke the protocol.</summary>
    Died,

    /// <summary>The worker sent a frame over the cap; it was killed.</summary>
    Flooded,
}

/// <summary>The result of <see cref="WorkerProcess.ExchangeAsync"/>.</summary>
internal sealed record WorkerExchange(ExchangeEnd End, WorkerResponse? Response, bool Compiled, int? ExitCode, string Stderr, TimeSpan Elapsed);
