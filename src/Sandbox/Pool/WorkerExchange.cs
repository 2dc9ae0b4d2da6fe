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

/// <summary>The steps of one exchange, in order.</summary>
internal enum ExchangeStep
{
    /// <summary>The caller holds the worker; nothing is sent yet.</summary>
    Rented,

    /// <summary>The request was written; the worker is compiling.</summary>
    Sent,

    /// <summary>The worker reported the end of compilation; the program is running.</summary>
    Compiled,
}

/// <summary>The result of <see cref="WorkerProcess.ExchangeAsync"/>.</summary>
/// <param name="Sent">Whether the request reached the worker; a death before that is never the program's doing.</param>
internal sealed record WorkerExchange(ExchangeEnd End, WorkerResponse? Response, bool Compiled, int? ExitCode, string Stderr, TimeSpan Elapsed, bool Sent = true);

/// <summary>An exchange on a lane, with the compiles it cost (retries included), whether a kept image was used, and the reference set of the worker that answered.</summary>
internal sealed record LaneExchange(WorkerExchange Exchange, int Compiles, bool Loaded, string? ReferenceSet, TimeSpan Waited);
