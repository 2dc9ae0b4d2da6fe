using System.Runtime.CompilerServices;
using System.Text;

namespace EvoCode.Api.Tests;

/// <summary>One Server-Sent Event as the client sees it.</summary>
internal sealed record SseEvent(long Id, string Kind, string Data)
{
    /// <summary>Reads the events of a stream until it ends; comments (heartbeats) and retry lines are skipped.</summary>
    public static async IAsyncEnumerable<SseEvent> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        long? id = null;
        string? kind = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (id is { } eventId && kind is not null)
                {
                    yield return new SseEvent(eventId, kind, data.ToString());
                }

                (id, kind) = (null, null);
                data.Clear();
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = long.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                kind = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Append(data.Length > 0 ? "\n" : "").Append(line[6..]);
            }
        }
    }
}
