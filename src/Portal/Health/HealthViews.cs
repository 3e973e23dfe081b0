using Portal.Core.Sla;

namespace Portal.Health;

public sealed record IncidentEventView(DateTimeOffset At, string Kind, string Message);

public sealed record IncidentView(Guid Id, string Scope, string Title, IReadOnlyList<string> AffectedEndpoints, DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt, bool IsOpen, IReadOnlyList<IncidentEventView> Timeline);

/// <summary>One endpoint's month against its SLA; every figure comes from the Core SLA rules.</summary>
public sealed record EndpointSlaView(
    Guid EndpointId, string Endpoint, string Month, decimal TargetUptimePercent, decimal UptimePercent, decimal DownMinutes,
    decimal AllowedDownMinutes, decimal BudgetLeftMinutes, decimal? BurnRate, SlaRisk Risk, CreditTier? Credit, int ProbeWindows,
    bool Up, int OpenIncidents, IReadOnlyList<MaintenanceWindowView> MaintenanceWindows);

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
