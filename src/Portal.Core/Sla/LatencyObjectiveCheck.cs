using Portal.Core.Latency;

namespace Portal.Core.Sla;

/// <summary>
/// Does an endpoint meet its TTFT objective, and how much of its latency budget is left? Counts come from the
/// endpoint's production traffic only (no probes, no shadow copies) over three periods ending now: the objective's
/// window, the last hour and the last day.
/// </summary>
/// <remarks>
/// Burn alerts follow the multi-window idea of SRE practice, kept to two windows: the last hour decides a fast burn
/// (an incident), the last day a slow one (shown as at risk). A fast burn is a burn rate of at least 14.4 over the last
/// hour — at p99 over 30 days that spends 2 % of the budget in one hour — or half the largest possible burn at p95 and
/// p90, where 14.4 cannot be reached (every request slow burns 20× and 10×). The hour must hold at least 1 ÷ allowed
/// share requests (100 at p99), so a single slow request in a quiet hour is not an incident.
/// </remarks>
public static class LatencyObjectiveCheck
{
    /// <summary>The fast-burn rate at p99 (2 % of a 30-day budget in one hour).</summary>
    public const decimal FastBurnRate = 14.4m;

    /// <summary>From merged TTFT histograms of the window, the last hour and the last day (production traffic only).</summary>
    public static LatencyCompliance Evaluate(LatencyObjective objective, LatencyHistogram window, LatencyHistogram lastHour, LatencyHistogram lastDay)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(window);
        return Evaluate(objective, LatencyCounts.Of(window, objective.ThresholdMs), LatencyCounts.Of(lastHour, objective.ThresholdMs),
            LatencyCounts.Of(lastDay, objective.ThresholdMs), window.Percentile(objective.Percentile));
    }

    /// <summary>From counts; <paramref name="measuredMs"/> is only reported, the verdict rests on the counts.</summary>
    public static LatencyCompliance Evaluate(LatencyObjective objective, LatencyCounts window, LatencyCounts lastHour, LatencyCounts lastDay,
        double? measuredMs = null)
    {
        ArgumentNullException.ThrowIfNull(objective);
        foreach (var counts in new[] { window, lastHour, lastDay })
        {
            if (counts.Requests < 0 || counts.OverThreshold < 0 || counts.OverThreshold > counts.Requests)
            {
                throw new ArgumentException($"Counts of {counts.Requests} requests with {counts.OverThreshold} over the threshold are not possible.");
            }
        }

        var share = objective.AllowedShare;
        var allowed = share * window.Requests;
        var met = window.OverThreshold <= allowed;
        var hourBurn = BurnRate(lastHour, share);
        var dayBurn = BurnRate(lastDay, share);
        var status = window.Requests == 0 ? LatencyObjectiveStatus.NoData
            : !met ? LatencyObjectiveStatus.Exhausted
            : lastHour.Requests >= MinRequestsForFastBurn(objective) && hourBurn >= FastBurnThreshold(objective) ? LatencyObjectiveStatus.FastBurn
            : dayBurn > 1m ? LatencyObjectiveStatus.AtRisk
            : LatencyObjectiveStatus.Met;
        return new LatencyCompliance(objective, status, window.Requests, window.OverThreshold, window.Requests == 0 ? null : measuredMs, met,
            allowed, allowed - window.OverThreshold, allowed > 0 ? window.OverThreshold / allowed : null, lastHour.Requests, hourBurn, dayBurn);
    }

    /// <summary>14.4 at p99; half the largest possible burn (1 ÷ allowed share) where that is lower: 10 at p95, 5 at p90.</summary>
    public static decimal FastBurnThreshold(LatencyObjective objective)
    {
        ArgumentNullException.ThrowIfNull(objective);
        return Math.Min(FastBurnRate, 0.5m / objective.AllowedShare);
    }

    /// <summary>Requests the last hour needs before its burn can count as fast: 1 ÷ allowed share (100 at p99).</summary>
    public static long MinRequestsForFastBurn(LatencyObjective objective)
    {
        ArgumentNullException.ThrowIfNull(objective);
        return (long)Math.Ceiling(1m / objective.AllowedShare);
    }

    private static decimal? BurnRate(LatencyCounts counts, decimal share) =>
        counts.Requests == 0 ? null : (decimal)counts.OverThreshold / counts.Requests / share;
}
