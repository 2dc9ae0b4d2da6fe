using System.Buffers.Binary;
using System.Text.Json;

namespace EvoCode.Sandbox.Protocol;

/// <summary>
/// Length-prefixed JSON frames on a byte stream: a 4-byte little-endian length, then UTF-8 JSON.
/// The reader refuses frames over a cap, so a worker cannot make the server allocate without bound.
/// </summary>
internal static class Frames
{
    public static async Task WriteAsync<T>(Stream stream, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
        var buffer = new byte[4 + payload.Length];
        BinaryPrimitives.WriteInt32LittleEndian(buffer, payload.Length);
        payload.CopyTo(buffer, 4);
        await stream.WriteAsync(buffer, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    /// <summary>Reads one frame; <c>null</c> at end of stream.</summary>
    /// <exception cref="InvalidDataException">The frame is larger than <paramref name="maxBytes"/> or truncated.</exception>
    public static async Task<T?> ReadAsync<T>(Stream stream, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, int maxBytes, CancellationToken cancellationToken)
        where T : class
    {
        var header = new byte[4];
        if (!await FillAsync(stream, header, cancellationToken))
        {
            return null;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length < 0 || length > maxBytes)
        {
            throw new FrameTooLargeException($"Frame of {length} bytes exceeds the cap of {maxBytes}.");
        }

        var payload = new byte[length];
        if (!await FillAsync(stream, payload, cancellationToken))
        {
            throw new InvalidDataException("Truncated frame.");
        }

        return JsonSerializer.Deserialize(payload, typeInfo);
    }

    private static async Task<bool> FillAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                return read == 0 && buffer.Length > 0 ? false : throw new InvalidDataException("Truncated frame.");
            }

            read += n;
        }

        return true;
    }
}
