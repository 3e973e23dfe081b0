using System.Buffers;

namespace Portal.Core.Latency;

/// <summary>
/// Version 1 of <see cref="LatencyHistogram"/>'s byte format. Our own rather than HdrHistogram's compressed encoding:
/// a typical minute (tens of distinct buckets) takes tens of bytes instead of ~240, and merging a blob needs no
/// intermediate 188 KB histogram, which matters when a 30-day window merges 43,200 minutes.
/// </summary>
internal static class LatencyHistogramFormat
{
    public const byte Version = 1;

    // Two varints of at most 10 bytes each.
    private const int MaxBucketBytes = 20;

    public static byte[] Write(IEnumerable<(long Value, long Count)> buckets)
    {
        // A pooled buffer grown by doubling: the sample sink re-encodes its busiest rows on every batch, and a list grown
        // byte by byte spent most of that time copying.
        var buffer = ArrayPool<byte>.Shared.Rent(256);
        try
        {
            var length = 0;
            buffer[length++] = Version;
            long previous = 0;
            foreach (var (value, count) in buckets)
            {
                if (buffer.Length - length < MaxBucketBytes)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                length = WriteVarint(buffer, length, (ulong)(value - previous));
                length = WriteVarint(buffer, length, (ulong)count);
                previous = value;
            }

            return buffer.AsSpan(0, length).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Parses and validates everything before returning, so a caller never applies half a blob.</summary>
    public static List<(long Value, long Count)> Read(ReadOnlySpan<byte> bytes, long maxValue)
    {
        if (bytes.Length == 0)
        {
            throw new FormatException("A serialized latency histogram has at least a version byte.");
        }

        if (bytes[0] != Version)
        {
            throw new FormatException($"Unknown latency histogram format version {bytes[0]}.");
        }

        // At least two bytes per bucket: no growth for a typical blob.
        var buckets = new List<(long, long)>(bytes.Length / 2);
        var position = 1;
        long value = 0;
        while (position < bytes.Length)
        {
            var delta = ReadVarint(bytes, ref position);
            var count = ReadVarint(bytes, ref position);
            if (delta == 0 && buckets.Count > 0)
            {
                throw new FormatException("Latency histogram buckets must increase.");
            }

            if (delta > (ulong)(maxValue - value))
            {
                throw new FormatException("A latency histogram value is out of range.");
            }

            if (count == 0 || count > long.MaxValue)
            {
                throw new FormatException("A latency histogram bucket count is out of range.");
            }

            value += (long)delta;
            buckets.Add((value, (long)count));
        }

        return buckets;
    }

    private static int WriteVarint(byte[] output, int position, ulong value)
    {
        while (value >= 0x80)
        {
            output[position++] = (byte)(value | 0x80);
            value >>= 7;
        }

        output[position++] = (byte)value;
        return position;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> bytes, ref int position)
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= bytes.Length)
            {
                throw new FormatException("A latency histogram ends in the middle of a number.");
            }

            var b = bytes[position++];
            if (shift == 63 && b > 1)
            {
                throw new FormatException("A latency histogram number is too large.");
            }

            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw new FormatException("A latency histogram number is too large.");
    }
}
