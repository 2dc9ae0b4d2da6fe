using System.Text;

namespace EvoCode.Sandbox.Pool;

/// <summary>Drains a process's stderr and keeps only its last few kilobytes (why a worker died).</summary>
internal sealed class StderrTail
{
    private const int Capacity = 8 * 1024;
    private readonly StringBuilder _text = new();
    private readonly Lock _lock = new();

    public StderrTail(StreamReader reader) => Drained = DrainAsync(reader);

    public Task Drained { get; }

    public override string ToString()
    {
        lock (_lock)
        {
            return _text.ToString();
        }
    }

    private async Task DrainAsync(StreamReader reader)
    {
        var buffer = new char[1024];
        try
        {
            int n;
            while ((n = await reader.ReadAsync(buffer)) > 0)
            {
                lock (_lock)
                {
                    _text.Append(buffer, 0, n);
                    if (_text.Length > Capacity)
                    {
                        _text.Remove(0, _text.Length - Capacity);
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The process is gone; what we have is what there is.
        }
    }
}
