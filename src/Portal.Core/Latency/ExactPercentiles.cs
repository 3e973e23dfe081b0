namespace Portal.Core.Latency;

/// <summary>
/// Percentiles of raw values by nearest rank — the same definition <see cref="LatencyHistogram.Percentile"/> uses —
/// so exact and histogram answers differ only by the histogram's bucket width.
/// </summary>
public static class ExactPercentiles
{
    /// <summary>
    /// The value at 1-based rank ⌈<paramref name="percentile"/>/100 × N⌉ of the sorted values (rank at least 1);
    /// null when there are no values.
    /// </summary>
    public static double? Percentile(IEnumerable<double> values, double percentile)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return PercentileOfSorted(sorted, percentile);
    }

    /// <summary>As <see cref="Percentile"/>, for values already sorted ascending (not checked).</summary>
    public static double? PercentileOfSorted(IReadOnlyList<double> sorted, double percentile)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            NearestRank.Rank(percentile, 1);
            return null;
        }

        return sorted[(int)NearestRank.Rank(percentile, sorted.Count) - 1];
    }
}
