using Microsoft.AspNetCore.Identity;

namespace Portal.Data.Entities;

public sealed class PortalUser : IdentityUser<Guid>
{
    public required string DisplayName { get; set; }

    /// <summary>Platform support staff: sees the fleet across tenants, never secrets or request content.</summary>
    public bool IsSupport { get; set; }

    /// <summary>Platform operator: runs the platform for every tenant (sets quotas); sees no tenant's data by that alone.</summary>
    public bool IsOperator { get; set; }

    public List<TenantMembership> Memberships { get; set; } = [];
}
