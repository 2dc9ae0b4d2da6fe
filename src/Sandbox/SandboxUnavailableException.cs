namespace EvoCode.Sandbox;

/// <summary>
/// The sandbox has no worker to give: none could be started within <see cref="Configuration.SandboxOptions.WorkerWaitTimeout"/>
/// (the message names the cause, such as the last start-up failure), or the sandbox is stopping. Nothing is known
/// about the program: callers must not record a verdict for it. The API answers 503.
/// </summary>
public sealed class SandboxUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SandboxUnavailableException()
        : base("The sandbox has no worker available.")
    {
    }

    /// <summary>Creates the exception with the cause.</summary>
    public SandboxUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the cause and the error behind it.</summary>
    public SandboxUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
