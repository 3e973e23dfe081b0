using HdrHistogram;

namespace Portal.Core.Latency;

/// <summary>The two storage forms of <see cref="LatencyHistogram"/>: a sorted bucket list, or a <see cref="LongHistogram"/>.</summary>
public sealed partial class LatencyHistogram
{
    /// <summary>Non-empty buckets in increasing order: (highest equivalent value in µs, count).</summary>
    private IEnumerable<(long Value, long Count)> Buckets()
    {
        FoldPending();
        return _histogram is { } histogram
            ? histogram.RecordedValues().Select(bucket => (bucket.ValueIteratedTo, bucket.CountAddedInThisIterationStep))
            : _compact!;
    }

    private static List<(long Value, long Count)> Read(ReadOnlySpan<byte> bytes)
    {
        var buckets = LatencyHistogramFormat.Read(bytes, _maxRepresentable);
        foreach (var (value, _) in buckets)
        {
            if (!IsBucketValue(value))
            {
                throw new FormatException("A latency histogram value is not a bucket of this histogram's layout.");
            }
        }

        return buckets;
    }

    // HdrHistogram's layout with a unit of 1 µs: values below the sub-bucket count have their own bucket; above it, each
    // power of two doubles the width of a bucket. A stored value is a bucket's highest equivalent value, so its low bits
    // (as many as the width's exponent) are all ones. The same answer as _layout.HighestEquivalentValue(value) == value
    // (tested over every magnitude), without its arithmetic, which dominated reading a 30-day window's hour rollups.
    private static readonly int _subBucketHalfCountMagnitude = (int)Math.Ceiling(Math.Log2(2 * Math.Pow(10, SignificantDigits))) - 1;

    private static bool IsBucketValue(long value)
    {
        var mask = (1L << (_subBucketHalfCountMagnitude + 1)) - 1;
        var widthExponent = 64 - _subBucketHalfCountMagnitude - 1 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(value | mask));
        var width = 1L << widthExponent;
        return ((value + 1) & (width - 1)) == 0;
    }

    /// <summary>
    /// Sorts the values recorded since the last fold and merges them into the sorted list, or into the dense form once
    /// there are too many buckets. Every read folds first. Reads from several threads after recording has stopped stay
    /// safe, as they were before values waited: one thread folds, under the lock, and the new form is published before
    /// the waiting values are cleared.
    /// </summary>
    private void FoldPending()
    {
        if (_pending is not { Count: > 0 } pending)
        {
            return;
        }

        lock (pending)
        {
            if (pending.Count == 0)
            {
                return;
            }

            pending.Sort();
            var runs = new List<(long Value, long Count)>();
            foreach (var value in pending)
            {
                if (runs.Count > 0 && runs[^1].Value == value)
                {
                    runs[^1] = (value, runs[^1].Count + 1);
                }
                else
                {
                    runs.Add((value, 1));
                }
            }

            if (MergeSorted(_compact!, runs) is { } merged)
            {
                _compact = merged;
            }
            else
            {
                var dense = NewLongHistogram();
                foreach (var (value, count) in _compact!.Concat(runs))
                {
                    dense.RecordValueWithCount(value, count);
                }

                _histogram = dense;
                _compact = null;
            }

            pending.Clear();
        }
    }

    /// <summary>The two sorted lists merged, bucket by bucket; null when the result would pass <see cref="MergedCompactLimit"/>.</summary>
    private static List<(long Value, long Count)>? MergeSorted(List<(long Value, long Count)> left, List<(long Value, long Count)> right)
    {
        var merged = new List<(long Value, long Count)>(left.Count + right.Count);
        int i = 0, j = 0;
        while (i < left.Count || j < right.Count)
        {
            if (merged.Count == MergedCompactLimit)
            {
                return null;
            }

            if (j == right.Count || (i < left.Count && left[i].Value < right[j].Value))
            {
                merged.Add(left[i++]);
            }
            else if (i == left.Count || right[j].Value < left[i].Value)
            {
                merged.Add(right[j++]);
            }
            else
            {
                merged.Add((left[i].Value, left[i++].Count + right[j++].Count));
            }
        }

        return merged;
    }

    private void Add(IEnumerable<(long Value, long Count)> buckets)
    {
        var histogram = Writable();
        foreach (var (value, count) in buckets)
        {
            histogram.RecordValueWithCount(value, count);
        }
    }

    private LongHistogram Writable()
    {
        FoldPending();
        if (_histogram is null)
        {
            var histogram = NewLongHistogram();
            foreach (var (value, count) in _compact!)
            {
                histogram.RecordValueWithCount(value, count);
            }

            _histogram = histogram;
            _compact = null;
        }

        return _histogram;
    }
}
