namespace EvoCode.Evaluators.Contract;

/// <summary>The closed set of ways one sandboxed run of a candidate can end.</summary>
public enum RunOutcome
{
    /// <summary>The candidate ran to completion and its harness produced output.</summary>
    Ok,

    /// <summary>The source did not compile; diagnostics say why.</summary>
    CompileError,

    /// <summary>The source uses an API or construct the sandbox policy refuses.</summary>
    PolicyViolation,

    /// <summary>The candidate threw an exception.</summary>
    RuntimeError,

    /// <summary>The worker process died (stack overflow, exit, signal) before answering.</summary>
    Crashed,

    /// <summary>The wall-clock or CPU limit was reached and the process tree was killed.</summary>
    TimeLimit,

    /// <summary>The memory limit was reached.</summary>
    MemoryLimit,

    /// <summary>The candidate wrote more output than allowed.</summary>
    OutputLimit,
}
