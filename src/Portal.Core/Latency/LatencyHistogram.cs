using HdrHistogram;

namespace Portal.Core.Latency;

/// <summary>
/// A mergeable TTFT histogram: HdrHistogram recording whole microseconds from 1 µs to 1 hour with 3 significant
/// digits, so every reported value is within 0.1 % of a recorded one. Values in and out are milliseconds.
/// </summary>
/// <remarks>
/// <para>Per-minute rollups store <see cref="ToBytes"/> in a blob column; any window is answered by merging the
/// minutes it covers. Merging is exact: the merged histogram equals one that recorded every sample.</para>
/// <para>A histogram with few non-empty buckets (a typical minute, or one read with <see cref="FromBytes"/>) is kept as
/// a sorted list of (bucket, count) using HdrHistogram's bucket layout; the ~190 KB <see cref="LongHistogram"/> is
/// allocated only once it grows past 8,192 buckets or a dense histogram is merged into it. Recorded values wait in a
/// short buffer and are sorted into the list together. Reading, serializing and merging a compact
/// histogram into another cost time in proportion to its non-empty buckets, so merging the 43,200 minutes of a
/// 30-day window is cheap. Merging two compact histograms keeps a sorted list while it stays under 8,192 buckets (a
/// stored minute plus a late batch); <see cref="Combine"/> and <see cref="Accumulator"/> merge into the dense form. Both forms give identical
/// answers and bytes.</para>
/// <para>Percentiles use nearest rank (see <see cref="ExactPercentiles"/>) and report the highest value equivalent to
/// the bucket holding that rank, HdrHistogram's convention. Values above 1 hour are recorded as 1 hour.</para>
/// <para>Not thread-safe: one writer at a time.</para>
/// </remarks>
public sealed partial class LatencyHistogram
{
    /// <summary>The smallest distinguishable value, in microseconds.</summary>
    public const long LowestTrackableMicroseconds = 1;

    /// <summary>One hour, in microseconds; larger values are clamped to it.</summary>
    public const long HighestTrackableMicroseconds = 3_600_000_000;

    /// <summary>Significant decimal digits kept: relative error at most 0.1 %.</summary>
    public const int SignificantDigits = 3;

    // Bucket arithmetic only (lowest/median/highest equivalent values); its counts are never touched.
    private static readonly LongHistogram _layout = NewLongHistogram();
    private static readonly long _maxRepresentable = _layout.HighestEquivalentValue(HighestTrackableMicroseconds);

    // Values recorded into the sorted list wait here and are sorted and folded in together: inserting each into the
    // sorted list moved half the list every time, which a busy minute's thousands of buckets made the sink's main cost.
    private const int PendingLimit = 1024;

    // Merging two sorted lists costs their lengths; below this the merged list stays smaller than the dense form, and a
    // stored rollup merged with a late batch is re-encoded without allocating and scanning the dense form.
    private const int MergedCompactLimit = 8192;

    private LongHistogram? _histogram;
    private List<(long Value, long Count)>? _compact;
    private List<long>? _pending;
    private long _count;

    /// <summary>An empty histogram.</summary>
    public LatencyHistogram() => _compact = [];

    private LatencyHistogram(List<(long Value, long Count)> compact)
    {
        _compact = compact;
        _count = compact.Sum(bucket => bucket.Count);
    }

    /// <summary>Number of recorded values.</summary>
    public long Count => _histogram?.TotalCount ?? _count;

    public bool IsEmpty => Count == 0;

    /// <summary>Smallest recorded value (lowest equivalent of its bucket) in ms; null when empty.</summary>
    public double? Min => IsEmpty ? null : ToMilliseconds(_layout.LowestEquivalentValue(Buckets().First().Value));

    /// <summary>Largest recorded value (highest equivalent of its bucket) in ms; null when empty.</summary>
    public double? Max => IsEmpty ? null : ToMilliseconds(Buckets().Last().Value);

    /// <summary>Mean of the recorded values in ms, each counted at its bucket's median; null when empty.</summary>
    public double? Mean
    {
        get
        {
            if (IsEmpty)
            {
                return null;
            }

            var total = 0.0;
            foreach (var (value, count) in Buckets())
            {
                total += (double)_layout.MedianEquivalentValue(value) * count;
            }

            return total / Count / 1000.0;
        }
    }

    /// <summary>Records one TTFT in milliseconds.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, NaN or infinite.</exception>
    public void Record(double milliseconds)
    {
        if (!double.IsFinite(milliseconds) || milliseconds < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(milliseconds), milliseconds, "A TTFT is a finite, non-negative number of milliseconds.");
        }

        var microseconds = (long)Math.Min(Math.Round(milliseconds * 1000.0), HighestTrackableMicroseconds);
        if (_histogram is null)
        {
            var pending = _pending ??= new List<long>(PendingLimit);
            pending.Add(_layout.HighestEquivalentValue(microseconds));
            _count++;
            if (pending.Count == PendingLimit)
            {
                FoldPending();
            }

            return;
        }

        Writable().RecordValue(microseconds);
    }

    /// <summary>Records one TTFT.</summary>
    public void Record(TimeSpan ttft) => Record(ttft.TotalMilliseconds);

    /// <summary>Adds every value of <paramref name="other"/> to this histogram.</summary>
    public void Merge(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.IsEmpty)
        {
            return;
        }

        FoldPending();
        other.FoldPending();

        if (other._histogram is { } histogram)
        {
            Writable().Add(histogram);
            return;
        }

        if (_compact is { } compact && MergeSorted(compact, other._compact!) is { } merged)
        {
            _compact = merged;
            _count += other._count;
            return;
        }

        Add(other._compact!);
    }

    /// <summary>Adds the values of a histogram serialized by <see cref="ToBytes"/>; on bad data nothing is added.</summary>
    /// <exception cref="FormatException">The bytes are not a serialized <see cref="LatencyHistogram"/>.</exception>
    public void MergeBytes(ReadOnlySpan<byte> bytes) => Add(Read(bytes));

    /// <summary>A new histogram holding every value of <paramref name="histograms"/>.</summary>
    public static LatencyHistogram Combine(IEnumerable<LatencyHistogram> histograms)
    {
        ArgumentNullException.ThrowIfNull(histograms);
        var result = Accumulator();
        foreach (var histogram in histograms)
        {
            result.Merge(histogram);
        }

        return result;
    }

    /// <summary>
    /// An empty histogram for merging many others into: already in the dense form, which adds each bucket in constant
    /// time, where a sorted list would grow and be re-merged on every <see cref="Merge"/>.
    /// </summary>
    public static LatencyHistogram Accumulator()
    {
        var accumulator = new LatencyHistogram();
        accumulator.Writable();
        return accumulator;
    }

    public LatencyHistogram Copy() => new([.. Buckets()]);

    /// <summary>
    /// The nearest-rank <paramref name="percentile"/> (0–100, e.g. 50, 90, 95, 99, 99.9) in ms; null when empty.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="percentile"/> is outside 0–100.</exception>
    public double? Percentile(double percentile)
    {
        var rank = NearestRank.Rank(percentile, Math.Max(Count, 1));
        if (IsEmpty)
        {
            return null;
        }

        long seen = 0;
        foreach (var (value, count) in Buckets())
        {
            seen += count;
            if (seen >= rank)
            {
                return ToMilliseconds(value);
            }
        }

        return Max;
    }

    /// <summary>
    /// How many recorded values are above <paramref name="thresholdMs"/>. A bucket counts when its lowest equivalent
    /// value is strictly above the threshold, so a value exactly at the threshold never counts, and any value more than
    /// 0.1 % above it always does (values in between share the threshold's bucket and do not count).
    /// </summary>
    public long CountAbove(double thresholdMs)
    {
        if (!double.IsFinite(thresholdMs) || thresholdMs < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(thresholdMs), thresholdMs, "A threshold is a finite, non-negative number of milliseconds.");
        }

        var threshold = thresholdMs * 1000.0;
        long above = 0;
        foreach (var (value, count) in Buckets())
        {
            if (_layout.LowestEquivalentValue(value) > threshold)
            {
                above += count;
            }
        }

        return above;
    }

    /// <summary>Count, min, mean, p50, p90, p95, p99, p99.9 and max; null when empty.</summary>
    public LatencySummary? Summarize() => IsEmpty
        ? null
        : new LatencySummary(
            Count,
            Min!.Value,
            Mean!.Value,
            Percentile(50)!.Value,
            Percentile(90)!.Value,
            Percentile(95)!.Value,
            Percentile(99)!.Value,
            Percentile(99.9)!.Value,
            Max!.Value);

    /// <summary>
    /// Counts per display bucket (see <see cref="TtftBuckets"/>; edges in seconds, default vLLM's). Each histogram
    /// bucket is placed by its lowest equivalent value, so a value exactly on an edge stays in the lower bucket.
    /// </summary>
    public long[] BucketCounts(IReadOnlyList<double>? edgesSeconds = null)
    {
        edgesSeconds ??= TtftBuckets.Default;
        TtftBuckets.Validate(edgesSeconds);
        var counts = new long[edgesSeconds.Count + 1];
        AddBucketCounts(counts, edgesSeconds);
        return counts;
    }

    /// <summary>
    /// A compact, versioned encoding for a blob column: one version byte, then for each non-empty bucket the
    /// increase of its value (µs) and its count as unsigned LEB128 varints. An empty histogram is one byte.
    /// </summary>
    public byte[] ToBytes() => LatencyHistogramFormat.Write(Buckets());

    /// <summary>Reads a histogram written by <see cref="ToBytes"/>.</summary>
    /// <exception cref="FormatException">The bytes are not a serialized <see cref="LatencyHistogram"/>.</exception>
    public static LatencyHistogram FromBytes(ReadOnlySpan<byte> bytes) => new(Read(bytes));

    internal void AddBucketCounts(long[] counts, IReadOnlyList<double> edgesSeconds)
    {
        foreach (var (value, count) in Buckets())
        {
            var seconds = _layout.LowestEquivalentValue(value) / 1_000_000.0;
            counts[TtftBuckets.IndexOf(seconds, edgesSeconds)] += count;
        }
    }

    private static LongHistogram NewLongHistogram() => new(LowestTrackableMicroseconds, HighestTrackableMicroseconds, SignificantDigits);

    private static double ToMilliseconds(long microseconds) => microseconds / 1000.0;
}
