using Portal.Core.Tenancy;

namespace Portal.Data.Entities;

public sealed class TenantMembership : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TenantId { get; set; }
    public Tenant? Tenant { get; set; }
    public Guid UserId { get; set; }
    public PortalUser? User { get; set; }
    public TenantRole Role { get; set; }
    public bool Disabled { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
