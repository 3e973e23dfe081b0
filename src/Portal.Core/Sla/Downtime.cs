namespace Portal.Core.Sla;

/// <summary>Down periods of one target from its probe results, by the same rule as <see cref="IncidentTracker"/>.</summary>
public static class Downtime
{
    /// <summary>
    /// The down intervals of one target within [<paramref name="from"/>, <paramref name="to"/>), in order. Results are
    /// sorted by time and deduplicated per probe window (the earliest result of a window counts). An incident still
    /// open after the last result is down until <paramref name="to"/>. To catch a run of failures that began before
    /// <paramref name="from"/>, include the results just before it: intervals are computed first, then clipped.
    /// </summary>
    /// <exception cref="ArgumentException">The results belong to more than one target.</exception>
    public static IReadOnlyList<UtcInterval> Intervals(IEnumerable<ProbeResult> probes, TimeSpan probeInterval, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(probes);
        var bounds = new UtcInterval(from, to);
        var ordered = probes.OrderBy(probe => probe.Time).ToList();
        if (ordered.Select(probe => probe.TargetId).Distinct().Skip(1).Any())
        {
            throw new ArgumentException("Downtime is computed per target; the results mix targets.", nameof(probes));
        }

        var tracker = new IncidentTracker(probeInterval);
        var intervals = new List<UtcInterval>();
        foreach (var probe in ordered.TakeWhile(probe => probe.Time < to))
        {
            var observation = tracker.Observe(probe);
            if (observation is { Change: ProbeChange.Closed, Incident: { End: { } end } closed })
            {
                Add(intervals, new UtcInterval(closed.Start, end), bounds);
            }
        }

        foreach (var open in tracker.OpenIncidents)
        {
            Add(intervals, new UtcInterval(open.Start, to), bounds);
        }

        return intervals;
    }

    private static void Add(List<UtcInterval> intervals, UtcInterval interval, UtcInterval bounds)
    {
        if (interval.ClipTo(bounds) is { } clipped)
        {
            intervals.Add(clipped);
        }
    }
}
