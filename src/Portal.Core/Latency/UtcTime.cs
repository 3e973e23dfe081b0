namespace Portal.Core.Latency;

/// <summary>Bucketing of instants on the UTC time line, aligned to the Unix epoch so every caller agrees.</summary>
internal static class UtcTime
{
    public static DateTimeOffset Floor(DateTimeOffset value, TimeSpan bucket)
    {
        if (bucket <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(bucket), bucket, "A bucket size is positive.");
        }

        var sinceEpoch = value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var remainder = sinceEpoch % bucket.Ticks;
        if (remainder < 0)
        {
            remainder += bucket.Ticks;
        }

        return new DateTimeOffset(value.UtcTicks - remainder, TimeSpan.Zero);
    }

    public static DateTimeOffset FloorToMinute(DateTimeOffset value) => Floor(value, TimeSpan.FromMinutes(1));
}
