using System.Globalization;

namespace Portal.Core.Sla;

public enum LatencyIncidentAction
{
    None,
    Open,
    Resolve,
}

/// <summary>
/// A latency objective's incident: opened when the objective is breached (budget exhausted or burning fast) and none is
/// open, resolved when it is back within while one is open. Deciding from the state alone makes a re-run change nothing.
/// </summary>
public static class LatencyIncidentRule
{
    public static LatencyIncidentAction Decide(LatencyCompliance compliance, bool incidentOpen)
    {
        ArgumentNullException.ThrowIfNull(compliance);
        return compliance.Breaching == incidentOpen ? LatencyIncidentAction.None
            : compliance.Breaching ? LatencyIncidentAction.Open
            : LatencyIncidentAction.Resolve;
    }

    /// <summary>The incident's title, e.g. "chat: TTFT objective p99 ≤ 800 ms over 30 days breached".</summary>
    public static string Title(string endpoint, LatencyObjective objective) => $"{endpoint}: TTFT objective {objective} breached";

    /// <summary>One line for the incident's timeline, with the numbers behind the verdict.</summary>
    public static string Describe(LatencyCompliance compliance)
    {
        ArgumentNullException.ThrowIfNull(compliance);
        var o = compliance.Objective;
        var counts = string.Create(CultureInfo.InvariantCulture,
            $"{compliance.OverThreshold} of {compliance.Requests} production requests over {o.ThresholdMs} ms in {o.WindowDays} days " +
            $"({compliance.AllowedOver:0.##} allowed); measured p{o.Percentile} {compliance.MeasuredMs:0.#} ms; " +
            $"burn rate {compliance.BurnRateLastHour:0.##} over the last hour, {compliance.BurnRateLastDay:0.##} over the last day.");
        return compliance.Status switch
        {
            LatencyObjectiveStatus.Exhausted => "Latency budget exhausted: " + counts,
            LatencyObjectiveStatus.FastBurn => "Latency budget burning fast: " + counts,
            LatencyObjectiveStatus.NoData => "No production requests in the window.",
            _ => "Back within the objective: " + counts,
        };
    }
}
