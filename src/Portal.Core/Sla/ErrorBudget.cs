namespace Portal.Core.Sla;

/// <summary>
/// The month's error budget: the down minutes the target uptime allows, how many are used, and how fast they burn.
/// </summary>
/// <param name="AllowedMinutes">(1 − target) × minutes in the month, e.g. 43.2 for 99.9 % in 30 days.</param>
/// <param name="LeftMinutes">Allowed − used; negative once the budget is overspent.</param>
/// <param name="ElapsedFraction">Share of the month elapsed at the evaluation time, 0–1.</param>
/// <param name="BurnRate">
/// Used ÷ (allowed × elapsed fraction): 1 spends the budget exactly by month end, above 1 runs out early. Null when
/// nothing has elapsed or nothing is allowed (a 100 % target).
/// </param>
public sealed record ErrorBudget(
    decimal AllowedMinutes,
    decimal UsedMinutes,
    decimal LeftMinutes,
    decimal ElapsedFraction,
    decimal? BurnRate)
{
    /// <summary>The budget of <paramref name="month"/> at <paramref name="asOf"/> (clamped to the month).</summary>
    public static ErrorBudget For(SlaMonth month, decimal targetUptimePercent, decimal usedMinutes, DateTimeOffset asOf)
    {
        if (targetUptimePercent is <= 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(targetUptimePercent), targetUptimePercent, "A target uptime is above 0 % and at most 100 %.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(usedMinutes);
        var allowed = (100m - targetUptimePercent) / 100m * month.Minutes;
        var elapsedTicks = Math.Clamp((asOf - month.Start).Ticks, 0, (month.End - month.Start).Ticks);
        var elapsed = (decimal)elapsedTicks / (month.End - month.Start).Ticks;
        var allowedSoFar = allowed * elapsed;
        decimal? burnRate = allowedSoFar > 0 ? usedMinutes / allowedSoFar : null;
        return new ErrorBudget(allowed, usedMinutes, allowed - usedMinutes, elapsed, burnRate);
    }

    /// <summary>The budget of a computed month under <paramref name="options"/>' target.</summary>
    public static ErrorBudget For(MonthlyUptime uptime, SlaOptions options, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(uptime);
        ArgumentNullException.ThrowIfNull(options);
        return For(uptime.Month, options.TargetUptimePercent, uptime.DownMinutes, asOf);
    }
}
