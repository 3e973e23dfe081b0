using Portal.Core.Tenancy;
using Portal.Identity;

namespace Portal.Components.Shared;

/// <summary>The signed-in caller and the tenant they are working in, cascaded from the layout to every page.</summary>
public sealed record PortalSession(Caller Caller, TenantAccess? Tenant)
{
    public TenantRole? Role => Tenant?.Role;

    public bool CanUse(Area area) => AccessPolicy.CanUse(area, Role, Caller.IsSupport, Caller.IsOperator);
}
