namespace Portal.Core.Tenancy;

/// <summary>
/// A platform operator hands a tenant to its customer by inviting the tenant's first TenantAdmin. Only a working tenant
/// can be handed over: a suspended tenant's members are refused everything, and a deleted one has nothing left to run.
/// </summary>
public static class AdminInvitationRules
{
    /// <summary>The role a platform operator's invitation gives; the tenant's admins invite everyone else.</summary>
    public const TenantRole Role = TenantRole.TenantAdmin;

    /// <returns>Null when a platform operator may invite an admin into a tenant in <paramref name="state"/>; otherwise the reason.</returns>
    public static string? Refuse(TenantState state) => state switch
    {
        TenantState.Active => null,
        TenantState.Suspended => "The tenant is suspended: resume it before inviting its admin.",
        TenantState.Deleted => "The tenant is deleted; nobody can be invited into it.",
        _ => $"A tenant in state {state} cannot be handed over.",
    };
}
