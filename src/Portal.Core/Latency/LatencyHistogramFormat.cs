namespace Portal.Core.Latency;

/// <summary>
/// Version 1 of <see cref="LatencyHistogram"/>'s byte format. Our own rather than HdrHistogram's compressed encoding:
/// a typical minute (tens of distinct buckets) takes tens of bytes instead of ~240, and merging a blob needs no
/// intermediate 188 KB histogram, which matters when a 30-day window merges 43,200 minutes.
/// </summary>
internal static class LatencyHistogramFormat
{
    public const byte Version = 1;

    public static byte[] Write(IEnumerable<(long Value, long Count)> buckets)
    {
        var output = new List<byte> { Version };
        long previous = 0;
        foreach (var (value, count) in buckets)
        {
            WriteVarint(output, (ulong)(value - previous));
            WriteVarint(output, (ulong)count);
            previous = value;
        }

        return [.. output];
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

    private static void WriteVarint(List<byte> output, ulong value)
    {
        while (value >= 0x80)
        {
            output.Add((byte)(value | 0x80));
            value >>= 7;
        }

        output.Add((byte)value);
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
