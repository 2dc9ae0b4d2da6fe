namespace EvoCode.Sandbox.Protocol;

/// <summary>A frame announced more bytes than the reader accepts.</summary>
internal sealed class FrameTooLargeException : IOException
{
    public FrameTooLargeException()
    {
    }

    public FrameTooLargeException(string message)
        : base(message)
    {
    }

    public FrameTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
