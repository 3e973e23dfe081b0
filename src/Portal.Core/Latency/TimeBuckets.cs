namespace Portal.Core.Latency;

/// <summary>Epoch-aligned UTC time buckets shared by the time series and the heatmap.</summary>
internal static class TimeBuckets
{
    public static IReadOnlyList<DateTimeOffset> Starts(DateTimeOffset start, DateTimeOffset end, TimeSpan bucketSize)
    {
        if (end < start)
        {
            throw new ArgumentException("A time range ends after it starts.", nameof(end));
        }

        var starts = new List<DateTimeOffset>();
        for (var bucket = UtcTime.Floor(start, bucketSize); bucket < end; bucket += bucketSize)
        {
            starts.Add(bucket);
        }

        return starts;
    }

    /// <summary>Index of the bucket holding <paramref name="time"/>, or -1 when it is outside [start, end).</summary>
    public static int IndexOf(IReadOnlyList<DateTimeOffset> starts, DateTimeOffset start, DateTimeOffset end, TimeSpan bucketSize, DateTimeOffset time)
    {
        if (time < start || time >= end || starts.Count == 0)
        {
            return -1;
        }

        return (int)((UtcTime.Floor(time, bucketSize) - starts[0]).Ticks / bucketSize.Ticks);
    }
}
