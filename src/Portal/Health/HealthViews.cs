using Portal.Core.Sla;

namespace Portal.Health;

public sealed record IncidentEventView(DateTimeOffset At, string Kind, string Message);

public sealed record IncidentView(Guid Id, string Scope, string Title, IReadOnlyList<string> AffectedEndpoints, DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt, bool IsOpen, IReadOnlyList<IncidentEventView> Timeline);

/// <summary>
/// One endpoint's month against its SLA; every figure comes from the Core SLA rules. <see cref="LatencyObjective"/> is the
/// endpoint's TTFT objective (null when none is set), measured over its own rolling window up to now whatever the month.
/// </summary>
public sealed record EndpointSlaView(
    Guid EndpointId, string Endpoint, string Month, decimal TargetUptimePercent, decimal UptimePercent, decimal DownMinutes,
    decimal AllowedDownMinutes, decimal BudgetLeftMinutes, decimal? BurnRate, SlaRisk Risk, CreditTier? Credit, int ProbeWindows,
    bool Up, int OpenIncidents, IReadOnlyList<MaintenanceWindowView> MaintenanceWindows, LatencyObjectiveView? LatencyObjective = null);

public sealed record EndpointSlaDetail(EndpointSlaView Sla, IReadOnlyList<IncidentView> Incidents, IReadOnlyList<ColdStartProbeView> ColdStartsDetectedByProbe);

public sealed record ColdStartProbeView(DateTimeOffset At, double? TtftMs, string? Detail);

public sealed record MaintenanceWindowView(Guid Id, Guid EndpointId, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Reason, string CreatedBy);

public sealed record MaintenanceWindowRequest(Guid EndpointId, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string? Reason);

public sealed record WebhookView(Guid Id, string Url, DateTimeOffset CreatedAt, string CreatedBy);

/// <summary>Answer to creating a webhook: the signing secret, shown this once.</summary>
public sealed record CreatedWebhook(Guid Id, string Url, string Secret);

public sealed record WebhookRequest(string? Url);

/// <summary>Support's fleet line: one tenant's endpoint, with health and SLA risk, no request content or secrets.</summary>
public sealed record FleetEndpointView(Guid TenantId, string Tenant, Guid EndpointId, string Endpoint, bool Up, int OpenIncidents,
    decimal UptimePercent, decimal BudgetLeftMinutes, SlaRisk Risk);

/// <summary>Setting an endpoint's TTFT objective: the threshold, the percentile (90, 95 or 99; default 99) and the window (7 or 30 days; default 30).</summary>
public sealed record LatencyObjectiveRequest(int? ThresholdMs, int? Percentile, int? WindowDays);

/// <summary>An endpoint's TTFT objective and, when read, how the endpoint stands against it now.</summary>
public sealed record LatencyObjectiveView(Guid EndpointId, string Endpoint, int ThresholdMs, int Percentile, int WindowDays, string Objective,
    DateTimeOffset UpdatedAt, string UpdatedBy, LatencyComplianceView? Compliance);

/// <summary>The Core verdict (<see cref="LatencyCompliance"/>) as the API and pages show it.</summary>
public sealed record LatencyComplianceView(string Status, bool Met, bool Breaching, long Requests, long OverThreshold, double? MeasuredMs,
    decimal AllowedOver, decimal BudgetLeft, decimal? BudgetUsed, long RequestsLastHour, decimal? BurnRateLastHour, decimal? BurnRateLastDay)
{
    public static LatencyComplianceView From(LatencyCompliance c) => new(c.Status.ToString(), c.Met, c.Breaching, c.Requests, c.OverThreshold,
        c.MeasuredMs, Math.Round(c.AllowedOver, 2), Math.Round(c.BudgetLeft, 2), c.BudgetUsed is { } used ? Math.Round(used, 4) : null,
        c.RequestsLastHour, Round(c.BurnRateLastHour), Round(c.BurnRateLastDay));

    private static decimal? Round(decimal? value) => value is { } v ? Math.Round(v, 2) : null;
}
