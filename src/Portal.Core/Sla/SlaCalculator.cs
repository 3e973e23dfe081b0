namespace Portal.Core.Sla;

/// <summary>
/// Monthly uptime (DESIGN.md "SLA"): 1 − down ÷ minutes in the UTC calendar month, maintenance windows excluded.
/// </summary>
/// <remarks>
/// "Maintenance windows excluded" takes maintenance out of the <em>down time</em> only; the denominator stays every
/// minute of the calendar month. That keeps the allowance a property of the month alone — 99.9 % allows 43.2 min in
/// any 30-day month, 40.32 in 28 days, 44.64 in 31, exactly as DESIGN states — and matches how public cloud SLAs
/// count excluded periods (as available time, not as missing time). Overlapping maintenance windows count once.
/// </remarks>
public static class SlaCalculator
{
    private static readonly decimal _ticksPerMinute = TimeSpan.TicksPerMinute;

    /// <summary>
    /// Uptime of one target in <paramref name="month"/>. With <paramref name="asOf"/> inside the month, a still-open
    /// incident is down until <paramref name="asOf"/> rather than the month's end. Pass the results from shortly
    /// before the month too, so a run of failures that began in the previous month is seen (see <see cref="Downtime"/>).
    /// </summary>
    public static MonthlyUptime Monthly(
        SlaMonth month,
        IEnumerable<ProbeResult> probes,
        IEnumerable<UtcInterval> maintenance,
        SlaOptions options,
        DateTimeOffset? asOf = null)
    {
        ArgumentNullException.ThrowIfNull(maintenance);
        ArgumentNullException.ThrowIfNull(options);
        var end = asOf is { } now && now < month.End ? now : month.End;
        if (end < month.Start)
        {
            end = month.Start;
        }

        var down = Downtime.Intervals(probes, options.ProbeInterval, month.Start, end);
        var excluded = UtcInterval.Union(maintenance);
        var downTicks = down.Sum(interval => interval.Duration.Ticks - excluded.Sum(window => interval.Overlap(window).Ticks));
        var downMinutes = downTicks / _ticksPerMinute;
        var uptime = 100m * (1m - downMinutes / month.Minutes);
        return new MonthlyUptime(month, month.Minutes, down, downMinutes, uptime);
    }
}
