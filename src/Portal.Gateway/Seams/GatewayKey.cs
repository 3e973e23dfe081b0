using Portal.Core.Keys;

namespace Portal.Gateway.Seams;

/// <summary>An inference key as the gateway needs it. Found by the SHA-256 hash of the presented key.</summary>
/// <param name="Id">The key's id, recorded with every sample.</param>
/// <param name="TenantId">The tenant whose endpoints the key may call.</param>
/// <param name="Scopes">Operations the key may call.</param>
public sealed record GatewayKey(Guid Id, Guid TenantId, InferenceKeyScopes Scopes)
{
    /// <summary>Requests allowed per minute (token bucket: a minute's allowance at once, then evenly); null = unlimited.</summary>
    public int? RequestsPerMinute { get; init; }

    /// <summary>Requests allowed in flight at once; null = unlimited.</summary>
    public int? MaxConcurrentRequests { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>The key's tenant is suspended by a platform operator: the key is refused until the tenant is resumed.</summary>
    public bool TenantSuspended { get; init; }

    /// <summary>
    /// Set on the key a migration dry run replays with: it reaches only that dry run's endpoints and its samples carry
    /// the same id, so they never count as production.
    /// </summary>
    public Guid? DryRunId { get; init; }
}
