namespace Portal.Core.Latency;

/// <summary>p50/p99-over-time (with request, error and cold-start counts) from minute rollups.</summary>
public static class LatencySeries
{
    /// <summary>The series of <paramref name="window"/> ending at <paramref name="end"/> at its suggested bucket size.</summary>
    public static IReadOnlyList<LatencySeriesPoint> Build(IEnumerable<MinuteRollup> rollups, TimeWindow window, DateTimeOffset end)
    {
        ArgumentNullException.ThrowIfNull(window);
        return Build(rollups, window.StartFor(end), end, window.BucketSize);
    }

    /// <summary>
    /// One point per bucket from the one holding <paramref name="start"/> up to <paramref name="end"/>, empty buckets
    /// included so charts show gaps; rollups whose minute starts outside [start, end) are ignored.
    /// </summary>
    public static IReadOnlyList<LatencySeriesPoint> Build(IEnumerable<MinuteRollup> rollups, DateTimeOffset start, DateTimeOffset end, TimeSpan bucketSize)
    {
        ArgumentNullException.ThrowIfNull(rollups);
        var starts = TimeBuckets.Starts(start, end, bucketSize);
        // Created on first use and in the compact form: a window has many buckets, most hold one or a few small rollups,
        // and the dense form (a ~190 KB array) per bucket made a one-hour series allocate megabytes per read.
        var histograms = new LatencyHistogram?[starts.Count];
        var totals = new (long Requests, long Errors, long ColdStarts)[starts.Count];
        foreach (var rollup in rollups)
        {
            var index = TimeBuckets.IndexOf(starts, start, end, bucketSize, rollup.Key.MinuteStart);
            if (index < 0)
            {
                continue;
            }

            (histograms[index] ??= new LatencyHistogram()).Merge(rollup.Ttft);
            totals[index] = (totals[index].Requests + rollup.Requests, totals[index].Errors + rollup.Errors, totals[index].ColdStarts + rollup.ColdStarts);
        }

        return starts
            .Select((bucketStart, i) => new LatencySeriesPoint(
                bucketStart,
                totals[i].Requests,
                totals[i].Errors,
                totals[i].ColdStarts,
                histograms[i]?.Percentile(50),
                histograms[i]?.Percentile(99)))
            .ToList();
    }
}
