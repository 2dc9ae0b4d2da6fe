namespace EvoCode.Sandbox.Worker.Execution;

/// <summary>The candidate wrote more than its output cap.</summary>
internal sealed class OutputLimitException : Exception
{
    public OutputLimitException()
        : base("The candidate wrote more output than its limit allows.")
    {
    }

    public OutputLimitException(string message)
        : base(message)
    {
    }

    public OutputLimitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
