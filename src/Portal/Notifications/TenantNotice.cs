namespace Portal.Notifications;

/// <summary>What a tenant may be told about. The wire name (<see cref="TenantNoticeKinds.WireName"/>) is the webhook's <c>type</c>.</summary>
public enum TenantNoticeKind
{
    IncidentOpened,
    IncidentResolved,
    ErrorBudgetBurn,
    MigrationSignalChanged,
    BudgetThreshold,
    DeploymentFailed,
    DeploymentReady,
    KeyExpiring,
}

/// <summary>
/// One thing a tenant should hear about. <see cref="Key"/> names the occurrence (e.g. <c>budget:{id}:80:2026-12</c>), so
/// the same occurrence published twice is told once.
/// </summary>
public sealed record TenantNotice(
    Guid TenantId,
    TenantNoticeKind Kind,
    string Key,
    string Title,
    string Text,
    DateTimeOffset OccurredAt)
{
    /// <summary>A path inside the portal that shows the subject (e.g. <c>/usage</c>), or null.</summary>
    public string? Link { get; init; }

    /// <summary>Machine-readable facts for webhook receivers (serialised as JSON), or null.</summary>
    public object? Data { get; init; }
}

public static class TenantNoticeKinds
{
    public static string WireName(this TenantNoticeKind kind) => kind switch
    {
        TenantNoticeKind.IncidentOpened => "incident.opened",
        TenantNoticeKind.IncidentResolved => "incident.resolved",
        TenantNoticeKind.ErrorBudgetBurn => "budget.burn",
        TenantNoticeKind.MigrationSignalChanged => "signal.changed",
        TenantNoticeKind.BudgetThreshold => "spend.threshold",
        TenantNoticeKind.DeploymentFailed => "deployment.failed",
        TenantNoticeKind.DeploymentReady => "deployment.ready",
        TenantNoticeKind.KeyExpiring => "key.expiring",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
