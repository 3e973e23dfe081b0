namespace Portal.Core.Sla;

/// <summary>A half-open span of time [<see cref="Start"/>, <see cref="End"/>), e.g. a downtime or a maintenance window.</summary>
public readonly record struct UtcInterval
{
    public UtcInterval(DateTimeOffset start, DateTimeOffset end)
    {
        if (end < start)
        {
            throw new ArgumentException($"An interval ends ({end:O}) after it starts ({start:O}).", nameof(end));
        }

        Start = start.ToUniversalTime();
        End = end.ToUniversalTime();
    }

    public DateTimeOffset Start { get; }

    public DateTimeOffset End { get; }

    public TimeSpan Duration => End - Start;

    /// <summary>How much of this interval <paramref name="other"/> covers.</summary>
    public TimeSpan Overlap(UtcInterval other)
    {
        var start = Start > other.Start ? Start : other.Start;
        var end = End < other.End ? End : other.End;
        return end > start ? end - start : TimeSpan.Zero;
    }

    /// <summary>This interval cut to <paramref name="bounds"/>; null when they do not overlap.</summary>
    public UtcInterval? ClipTo(UtcInterval bounds)
    {
        var start = Start > bounds.Start ? Start : bounds.Start;
        var end = End < bounds.End ? End : bounds.End;
        return end > start ? new UtcInterval(start, end) : null;
    }

    /// <summary>Sorted, non-overlapping intervals covering the same time as <paramref name="intervals"/>.</summary>
    public static IReadOnlyList<UtcInterval> Union(IEnumerable<UtcInterval> intervals)
    {
        ArgumentNullException.ThrowIfNull(intervals);
        var merged = new List<UtcInterval>();
        foreach (var interval in intervals.Where(i => i.Duration > TimeSpan.Zero).OrderBy(i => i.Start))
        {
            if (merged.Count > 0 && interval.Start <= merged[^1].End)
            {
                var last = merged[^1];
                merged[^1] = new UtcInterval(last.Start, interval.End > last.End ? interval.End : last.End);
            }
            else
            {
                merged.Add(interval);
            }
        }

        return merged;
    }
}
