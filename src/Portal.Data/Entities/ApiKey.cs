using Portal.Core.Keys;

namespace Portal.Data.Entities;

/// <summary>An inference key: only its SHA-256 hash and a display prefix are kept; the key itself is shown once.</summary>
public sealed class ApiKey : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TenantId { get; set; }
    public required string Name { get; set; }
    public required string Prefix { get; set; }
    public required string KeyHash { get; set; }
    public InferenceKeyScopes Scopes { get; set; } = InferenceKeyScopes.All;
    public int? RequestsPerMinute { get; set; }
    public int? MaxConcurrentRequests { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }

    /// <summary>The key that replaced this one in a rotation; this one stays valid until <see cref="ExpiresAt"/>.</summary>
    public Guid? RotatedToId { get; set; }
}
