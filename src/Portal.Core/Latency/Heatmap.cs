namespace Portal.Core.Latency;

/// <summary>
/// TTFT heatmap: request counts per (time bucket × TTFT bucket), built from minute rollups. Rows are time buckets,
/// columns are <see cref="TtftBuckets"/> buckets (the last column is the overflow above the last edge).
/// </summary>
public sealed class Heatmap
{
    private readonly long[][] _counts;

    private Heatmap(IReadOnlyList<DateTimeOffset> timeBuckets, TimeSpan bucketSize, IReadOnlyList<double> edgesSeconds, long[][] counts)
    {
        TimeBuckets = timeBuckets;
        BucketSize = bucketSize;
        EdgesSeconds = edgesSeconds;
        _counts = counts;
    }

    /// <summary>Start of each row's time bucket (UTC, epoch-aligned).</summary>
    public IReadOnlyList<DateTimeOffset> TimeBuckets { get; }

    public TimeSpan BucketSize { get; }

    /// <summary>TTFT bucket edges in seconds; there are <c>EdgesSeconds.Count + 1</c> columns.</summary>
    public IReadOnlyList<double> EdgesSeconds { get; }

    /// <summary>Count in row <paramref name="timeBucket"/>, column <paramref name="ttftBucket"/>.</summary>
    public long this[int timeBucket, int ttftBucket] => _counts[timeBucket][ttftBucket];

    /// <summary>One row's counts, one per TTFT bucket.</summary>
    public IReadOnlyList<long> Row(int timeBucket) => _counts[timeBucket];

    /// <summary>The heatmap of <paramref name="window"/> ending at <paramref name="end"/> at its suggested bucket size.</summary>
    public static Heatmap Build(IEnumerable<MinuteRollup> rollups, TimeWindow window, DateTimeOffset end, IReadOnlyList<double>? edgesSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(window);
        return Build(rollups, window.StartFor(end), end, window.BucketSize, edgesSeconds);
    }

    /// <summary>
    /// Adds the histogram of every rollup whose minute starts in [<paramref name="start"/>, <paramref name="end"/>)
    /// to its time bucket. Which rollups to include (endpoint, target, traffic kind) is the caller's choice.
    /// </summary>
    public static Heatmap Build(
        IEnumerable<MinuteRollup> rollups,
        DateTimeOffset start,
        DateTimeOffset end,
        TimeSpan bucketSize,
        IReadOnlyList<double>? edgesSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(rollups);
        edgesSeconds ??= TtftBuckets.Default;
        TtftBuckets.Validate(edgesSeconds);
        var starts = Latency.TimeBuckets.Starts(start, end, bucketSize);
        var counts = starts.Select(_ => new long[edgesSeconds.Count + 1]).ToArray();
        foreach (var rollup in rollups)
        {
            var row = Latency.TimeBuckets.IndexOf(starts, start, end, bucketSize, rollup.Key.MinuteStart);
            if (row < 0)
            {
                continue;
            }

            rollup.Ttft.AddBucketCounts(counts[row], edgesSeconds);
        }

        return new Heatmap(starts, bucketSize, edgesSeconds, counts);
    }
}
