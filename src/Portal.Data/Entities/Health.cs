namespace Portal.Data.Entities;

public enum ProbeKind
{
    /// <summary>GET /health answers 2xx.</summary>
    Liveness,

    /// <summary>GET /v1/models lists the served model.</summary>
    Readiness,

    /// <summary>A one-token streaming request; measures the time to the first token.</summary>
    Ttft,

    /// <summary>A target's verdict for the window: up when any of its replicas (or the serverless target) is up.</summary>
    Availability,
}

/// <summary>
/// One probe of a replica or target in one probe window. (Subject, kind, window) is unique, so a probe tick that runs
/// again after a restart, or on a second instance, cannot count a window twice.
/// </summary>
public sealed class ProbeRecord
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }

    /// <summary>The replica probed, or the target for <see cref="ProbeKind.Availability"/> and serverless targets.</summary>
    public Guid SubjectId { get; set; }

    public Guid TargetId { get; set; }
    public ProbeKind Kind { get; set; }
    public long WindowId { get; set; }
    public DateTimeOffset WindowStart { get; set; }
    public DateTimeOffset At { get; set; }
    public bool Ok { get; set; }
    public double? LatencyMs { get; set; }
    public double? TtftMs { get; set; }

    /// <summary>The synthetic request was slower than the cold-start threshold: a cold start detected by the probe.</summary>
    public bool ColdStart { get; set; }

    public string? Detail { get; set; }
}

/// <summary>The incident tracker's memory for one subject, saved with the probe records of the same tick.</summary>
public sealed class ProbeSubjectState
{
    public Guid SubjectId { get; set; }
    public Guid TenantId { get; set; }
    public Guid TargetId { get; set; }
    public long LastWindowId { get; set; }
    public int ConsecutiveFailures { get; set; }
    public DateTimeOffset? FirstFailure { get; set; }
    public DateTimeOffset LastProbeAt { get; set; }
    public bool LastOk { get; set; }
}

public enum IncidentScope
{
    /// <summary>One replica is down; the gateway routes around it.</summary>
    Replica,

    /// <summary>A target is down: its endpoints do not answer. This is what the SLA counts.</summary>
    Target,

    /// <summary>An endpoint breaches its TTFT objective: its latency budget is exhausted or burning fast.</summary>
    Latency,
}

/// <summary>
/// A period a replica or target was down (opened by two consecutive failed probes, closed by the next success), or an
/// endpoint breached its TTFT objective (<see cref="IncidentScope.Latency"/>: the subject is the endpoint).
/// </summary>
public sealed class IncidentRecord
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TenantId { get; set; }
    public Guid SubjectId { get; set; }
    public Guid TargetId { get; set; }
    public IncidentScope Scope { get; set; }
    public required string Title { get; set; }

    /// <summary>Names of the endpoints served by the target when the incident opened, comma separated.</summary>
    public required string AffectedEndpoints { get; set; }

    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public List<IncidentEvent> Events { get; set; } = [];
}

/// <summary>One line of an incident's timeline.</summary>
public sealed class IncidentEvent
{
    public long Id { get; set; }
    public Guid IncidentId { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Kind { get; set; }
    public required string Message { get; set; }
}

/// <summary>A tenant's webhook: incident alerts are POSTed to <see cref="Url"/>, signed with the secret.</summary>
public sealed class WebhookSubscription : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TenantId { get; set; }
    public required string Url { get; set; }

    /// <summary>The signing secret, encrypted with Data Protection; shown once when created.</summary>
    public required string ProtectedSecret { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
}

/// <summary>Planned work on an endpoint: down time inside it does not count against the SLA.</summary>
public sealed class MaintenanceWindow : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TenantId { get; set; }
    public Guid EndpointId { get; set; }
    public DateTimeOffset StartsAt { get; set; }
    public DateTimeOffset EndsAt { get; set; }
    public required string Reason { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// An endpoint's TTFT objective, set by the customer: "p<see cref="Percentile"/> ≤ <see cref="ThresholdMs"/> ms over
/// <see cref="WindowDays"/> days". At most one per endpoint; removed with it.
/// </summary>
public sealed class LatencyObjectiveSetting : ITenantOwned
{
    public Guid EndpointId { get; set; }
    public Guid TenantId { get; set; }
    public int ThresholdMs { get; set; }
    public int Percentile { get; set; }
    public int WindowDays { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }
}

/// <summary>
/// A span during which an endpoint's monthly uptime error budget burned too fast or was spent
/// (<c>ErrorBudgetBurnRule</c>). At most one open per endpoint; its id keys the one notice it gives.
/// </summary>
public sealed class ErrorBudgetBurn : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TenantId { get; set; }
    public Guid EndpointId { get; set; }

    /// <summary>The SLA month it began in, <c>yyyy-MM</c>.</summary>
    public required string Month { get; set; }

    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public decimal UsedMinutes { get; set; }
    public decimal AllowedMinutes { get; set; }
}
