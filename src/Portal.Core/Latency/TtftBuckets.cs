namespace Portal.Core.Latency;

/// <summary>
/// Bucket edges for display histograms of TTFT, in seconds. The default is vLLM's
/// <c>vllm:time_to_first_token_seconds</c> histogram, so our charts line up with the engine's own metrics.
/// </summary>
/// <remarks>
/// Buckets follow Prometheus' <c>le</c> convention: bucket <c>i</c> counts values in
/// (<c>edges[i-1]</c>, <c>edges[i]</c>] (bucket 0 counts everything up to <c>edges[0]</c>), and one extra last bucket
/// counts values above the last edge. Counts are per bucket, not cumulative.
/// </remarks>
public static class TtftBuckets
{
    /// <summary>vLLM's TTFT bucket edges in seconds.</summary>
    public static IReadOnlyList<double> Default { get; } =
    [
        0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0,
        2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0,
    ];

    /// <summary>The bucket a value in seconds falls into: 0..<c>edges.Count</c> (the last is the overflow bucket).</summary>
    public static int IndexOf(double seconds, IReadOnlyList<double>? edges = null)
    {
        edges ??= Default;
        if (double.IsNaN(seconds))
        {
            throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "A TTFT is a number.");
        }

        // Lower bound: the first edge >= value, so a value equal to an edge lands in that edge's bucket (le).
        int low = 0, high = edges.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (edges[middle] < seconds)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    /// <summary>Counts per bucket of <paramref name="seconds"/>; the result has <c>edges.Count + 1</c> entries.</summary>
    public static long[] BucketCounts(IEnumerable<double> seconds, IReadOnlyList<double>? edges = null)
    {
        ArgumentNullException.ThrowIfNull(seconds);
        edges ??= Default;
        Validate(edges);
        var counts = new long[edges.Count + 1];
        foreach (var value in seconds)
        {
            counts[IndexOf(value, edges)]++;
        }

        return counts;
    }

    /// <summary>Throws unless <paramref name="edges"/> is non-empty and strictly increasing.</summary>
    public static void Validate(IReadOnlyList<double> edges)
    {
        ArgumentNullException.ThrowIfNull(edges);
        if (edges.Count == 0)
        {
            throw new ArgumentException("At least one bucket edge is needed.", nameof(edges));
        }

        for (var i = 1; i < edges.Count; i++)
        {
            if (!(edges[i] > edges[i - 1]))
            {
                throw new ArgumentException($"Bucket edges must increase strictly; edge {i} ({edges[i]}) does not.", nameof(edges));
            }
        }
    }
}
