using System.Buffers.Binary;

namespace Portal.Core.Metrics;

public sealed partial record ServerTtftHistogram
{
    private const byte FormatVersion = 1;

    // Engines serve a few dozen edges; the bound keeps a corrupt length from allocating gigabytes.
    private const int MaxBuckets = 4096;

    /// <summary>
    /// A compact binary form for storage: version byte, bucket count (int32), then each upper bound and cumulative count
    /// (float64 pairs, +Inf as IEEE infinity), then count and sum; little-endian. Read back with <see cref="FromBytes"/>.
    /// </summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[1 + 4 + (UpperBounds.Count * 16) + 16];
        bytes[0] = FormatVersion;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(1), UpperBounds.Count);
        var at = 5;
        for (var i = 0; i < UpperBounds.Count; i++, at += 16)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(at), UpperBounds[i]);
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(at + 8), Cumulative[i]);
        }

        BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(at), Count);
        BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(at + 8), SumSeconds);
        return bytes;
    }

    /// <summary>Reads a histogram written by <see cref="ToBytes"/>.</summary>
    /// <exception cref="FormatException">The bytes are not a serialized <see cref="ServerTtftHistogram"/>.</exception>
    public static ServerTtftHistogram FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 5 || bytes[0] != FormatVersion)
        {
            throw new FormatException("Not a serialized server TTFT histogram (unknown version).");
        }

        var buckets = BinaryPrimitives.ReadInt32LittleEndian(bytes[1..]);
        if (buckets is < 0 or > MaxBuckets || bytes.Length != 5 + (buckets * 16) + 16)
        {
            throw new FormatException($"Not a serialized server TTFT histogram ({bytes.Length} bytes for {buckets} buckets).");
        }

        var bounds = new double[buckets];
        var cumulative = new double[buckets];
        var at = 5;
        for (var i = 0; i < buckets; i++, at += 16)
        {
            bounds[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes[at..]);
            cumulative[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes[(at + 8)..]);
        }

        return new ServerTtftHistogram(bounds, cumulative, BinaryPrimitives.ReadDoubleLittleEndian(bytes[at..]),
            BinaryPrimitives.ReadDoubleLittleEndian(bytes[(at + 8)..]));
    }
}
