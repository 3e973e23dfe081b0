using Portal.Core.Latency;

namespace Portal.Core.Sla;

/// <summary>Production requests with a TTFT in some period, and how many of them were over an objective's threshold.</summary>
public readonly record struct LatencyCounts(long Requests, long OverThreshold)
{
    /// <summary>The counts of a merged TTFT histogram against <paramref name="thresholdMs"/> (see <see cref="LatencyHistogram.CountAbove"/>).</summary>
    public static LatencyCounts Of(LatencyHistogram ttft, int thresholdMs)
    {
        ArgumentNullException.ThrowIfNull(ttft);
        return new LatencyCounts(ttft.Count, ttft.CountAbove(thresholdMs));
    }
}

/// <summary>How an endpoint stands against its TTFT objective.</summary>
public enum LatencyObjectiveStatus
{
    /// <summary>No production request with a TTFT in the window: nothing to judge.</summary>
    NoData,

    /// <summary>Within the objective, and the last day burns no faster than the budget lasts.</summary>
    Met,

    /// <summary>Within the objective, but the last day burned the budget faster than it lasts (burn rate above 1).</summary>
    AtRisk,

    /// <summary>Within the objective so far, but the last hour burns so fast that the budget goes within days: an incident.</summary>
    FastBurn,

    /// <summary>More requests over the threshold than the budget allows: the measured percentile is above it. An incident.</summary>
    Exhausted,
}

/// <summary>
/// One endpoint against its <see cref="LatencyObjective"/> at one moment. The budget counts requests: over the window,
/// (100 − percentile) % of the requests may be over the threshold (1 % for p99).
/// </summary>
/// <param name="MeasuredMs">The objective's percentile of the window's TTFTs (HdrHistogram, within 0.1 %); null without data.</param>
/// <param name="Met">Over-threshold requests ≤ allowed, i.e. the nearest-rank percentile is at or below the threshold; true without data.</param>
/// <param name="AllowedOver">Requests the budget allows over the threshold: allowed share × requests.</param>
/// <param name="BudgetLeft">Allowed − over; negative once exhausted.</param>
/// <param name="BudgetUsed">Over ÷ allowed: 1 is the whole budget; null while nothing is allowed yet (no requests).</param>
/// <param name="BurnRateLastHour">(Over ÷ requests in the last hour) ÷ allowed share; 1 spends the budget exactly at its pace; null without requests.</param>
/// <param name="BurnRateLastDay">The same over the last 24 hours.</param>
public sealed record LatencyCompliance(
    LatencyObjective Objective,
    LatencyObjectiveStatus Status,
    long Requests,
    long OverThreshold,
    double? MeasuredMs,
    bool Met,
    decimal AllowedOver,
    decimal BudgetLeft,
    decimal? BudgetUsed,
    long RequestsLastHour,
    decimal? BurnRateLastHour,
    decimal? BurnRateLastDay)
{
    /// <summary>Whether the objective is breached now (budget exhausted or burning fast): what opens an incident.</summary>
    public bool Breaching => Status is LatencyObjectiveStatus.Exhausted or LatencyObjectiveStatus.FastBurn;
}
