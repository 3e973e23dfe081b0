namespace Portal.Core.Audit;

/// <summary>What the audit service knows about an operation before the store gives it a place in the chain.</summary>
public sealed record AuditEntry
{
    public required DateTimeOffset OccurredAt { get; init; }

    public Guid? TenantId { get; init; }

    public required string ActorId { get; init; }

    public required string ActorName { get; init; }

    /// <summary>Comma-separated; <see cref="AuditRecord.Seal"/> sorts it. <see cref="JoinRoles"/> builds it.</summary>
    public required string ActorRoles { get; init; }

    public required string ActorIp { get; init; }

    public required string Action { get; init; }

    public required string ResourceType { get; init; }

    public required string ResourceId { get; init; }

    public required AuditOutcome Outcome { get; init; }

    public string? Reason { get; init; }

    public string? Details { get; init; }

    public required string CorrelationId { get; init; }

    /// <summary>Roles as stored in the chain: trimmed, distinct, sorted ordinally, joined with commas.</summary>
    public static string JoinRoles(IEnumerable<string> roles) =>
        string.Join(',', roles
            .Select(role => role.Trim())
            .Where(role => role.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal));
}
