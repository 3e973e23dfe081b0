namespace Portal.Core.Sla;

/// <summary>One target's SLA result for one UTC calendar month (or the part of it elapsed so far).</summary>
/// <param name="MinutesInMonth">The denominator: every minute of the calendar month, maintenance included.</param>
/// <param name="DownIntervals">Down periods within the month, before maintenance is taken out.</param>
/// <param name="DownMinutes">Down time outside maintenance windows, in minutes.</param>
/// <param name="UptimePercent">100 × (1 − <paramref name="DownMinutes"/> ÷ <paramref name="MinutesInMonth"/>).</param>
public sealed record MonthlyUptime(
    SlaMonth Month,
    decimal MinutesInMonth,
    IReadOnlyList<UtcInterval> DownIntervals,
    decimal DownMinutes,
    decimal UptimePercent);
