namespace EvoCode.Evaluators.Harnesses;

/// <summary>The candidate does not fit the harness: a missing entry point, a wrong signature, a missing argument.</summary>
public sealed class HarnessException : Exception
{
    /// <summary>Creates the exception with a message for the model.</summary>
    public HarnessException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an empty exception.</summary>
    public HarnessException()
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public HarnessException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
