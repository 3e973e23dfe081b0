using Portal.Core.Tenancy;

namespace Portal.Data.Entities;

/// <summary>An invitation to join a tenant with a role; the emailed token is stored only as its hash.</summary>
public sealed class TenantInvitation
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TenantId { get; set; }
    public Tenant? Tenant { get; set; }

    /// <summary>The address as the admin typed it (trimmed); <see cref="NormalizedEmail"/> is what is compared.</summary>
    public required string Email { get; set; }
    public required string NormalizedEmail { get; set; }
    public TenantRole Role { get; set; }
    public required string TokenHash { get; set; }

    /// <summary>Who invited: their subject and name at the time.</summary>
    public required string InvitedById { get; set; }
    public required string InvitedByName { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? AcceptedAt { get; set; }
    public Guid? AcceptedUserId { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
