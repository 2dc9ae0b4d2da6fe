using System.Text;

namespace EvoCode.Sandbox.Worker.Execution;

/// <summary>
/// The candidate's output channel. Past the cap it remembers the overflow and throws; the flag stays set
/// even when the candidate catches the exception, so an output flood is always reported as one.
/// </summary>
internal sealed class CappedTextWriter(int maxBytes) : TextWriter
{
    private readonly StringBuilder _text = new();
    private int _bytes;

    public bool Overflowed { get; private set; }

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value) => Append(value.ToString());

    public override void Write(string? value) => Append(value);

    public override void Write(char[] buffer, int index, int count) => Append(new string(buffer, index, count));

    public override void WriteLine(string? value) => Append(value + NewLine);

    public override string ToString() => _text.ToString();

    private void Append(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        if (Overflowed)
        {
            throw new OutputLimitException();
        }

        var bytes = Encoding.UTF8.GetByteCount(value);
        if (_bytes + bytes > maxBytes)
        {
            Overflowed = true;
            throw new OutputLimitException();
        }

        _bytes += bytes;
        _text.Append(value);
    }
}
