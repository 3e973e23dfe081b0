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
    public static IReadOnlyList<TenantNoticeKind> All { get; } = Enum.GetValues<TenantNoticeKind>();

    public static bool IsIncident(this TenantNoticeKind kind) => kind is TenantNoticeKind.IncidentOpened or TenantNoticeKind.IncidentResolved;

    /// <summary>The kind of a wire name (<c>incident.opened</c>), or null.</summary>
    public static TenantNoticeKind? FromWireName(string? name) => All.Cast<TenantNoticeKind?>().FirstOrDefault(k => k!.Value.WireName() == name?.Trim());

    /// <summary>How the console names a kind.</summary>
    public static string Describe(this TenantNoticeKind kind) => kind switch
    {
        TenantNoticeKind.IncidentOpened => "Incident opened",
        TenantNoticeKind.IncidentResolved => "Incident resolved",
        TenantNoticeKind.ErrorBudgetBurn => "SLA or latency budget burning",
        TenantNoticeKind.MigrationSignalChanged => "Migration signal changed",
        TenantNoticeKind.BudgetThreshold => "Spend threshold reached",
        TenantNoticeKind.DeploymentFailed => "Deployment failed",
        TenantNoticeKind.DeploymentReady => "Deployment ready",
        TenantNoticeKind.KeyExpiring => "Key about to expire",
        _ => kind.ToString(),
    };

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
