namespace Portal.Simulator.Metrics;

/// <summary>A lock-free Prometheus histogram: per-bucket counts (not cumulative until rendered), count and sum.</summary>
internal sealed class Histogram(IReadOnlyList<double> upperBounds)
{
    private readonly double[] _bounds = [.. upperBounds];
    private readonly long[] _counts = new long[upperBounds.Count + 1];
    private double _sum;

    public IReadOnlyList<double> UpperBounds => _bounds;

    public void Observe(double value)
    {
        var i = 0;
        while (i < _bounds.Length && value > _bounds[i])
        {
            i++;
        }

        Interlocked.Increment(ref _counts[i]);
        double current, updated;
        do
        {
            current = Volatile.Read(ref _sum);
            updated = current + value;
        }
        while (Interlocked.CompareExchange(ref _sum, updated, current) != current);
    }

    /// <summary>Cumulative counts per bound, the last one for +Inf, and the sum.</summary>
    public (long[] Cumulative, double Sum) Snapshot()
    {
        var cumulative = new long[_counts.Length];
        long running = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            running += Interlocked.Read(ref _counts[i]);
            cumulative[i] = running;
        }

        return (cumulative, Volatile.Read(ref _sum));
    }
}
