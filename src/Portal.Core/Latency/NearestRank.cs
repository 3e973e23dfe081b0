namespace Portal.Core.Latency;

/// <summary>
/// The one percentile definition used everywhere: nearest rank. The p-th percentile of N ordered values is the value
/// at 1-based rank ⌈p/100 × N⌉ (at least 1), i.e. the smallest recorded value with at least p % of values at or below it.
/// It always returns an observed value and never interpolates.
/// </summary>
internal static class NearestRank
{
    public static long Rank(double percentile, long count)
    {
        if (double.IsNaN(percentile) || percentile < 0 || percentile > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "A percentile is between 0 and 100.");
        }

        var exact = percentile / 100.0 * count;

        // 99.9 % of 1000 is 999.0000000000001 in binary floating point; that is rank 999, not 1000.
        var nearest = Math.Round(exact);
        var rank = Math.Abs(exact - nearest) <= 1e-9 * Math.Max(1.0, exact) ? nearest : Math.Ceiling(exact);
        return Math.Clamp((long)rank, 1, count);
    }
}
