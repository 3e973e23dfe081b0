namespace Portal.Core.Tenancy;

/// <summary>
/// Which roles may use which area, and which may change things. The navigation, the page guards and the
/// management API all ask this one table.
/// </summary>
public static class AccessPolicy
{
    public static bool CanUse(Area area, TenantRole? role, bool isSupport, bool isOperator = false)
    {
        // A role value this build does not know (a newer row, a bad cast) is no role: it opens nothing.
        role = role is { } known && Enum.IsDefined(known) ? known : null;
        return area switch
        {
            Area.Support => isSupport,
            // Operators run the platform's tenants; by that role alone they see no tenant's data.
            Area.Tenants => isOperator,
            Area.Overview => role is not null || isSupport || isOperator,
            Area.Deploy => role is TenantRole.TenantAdmin or TenantRole.Developer,
            Area.ApiKeys => role is TenantRole.TenantAdmin or TenantRole.Developer,
            Area.Members => role is TenantRole.TenantAdmin,
            // Support and operators read the platform's own records (support a tenant's only during an audited look-in).
            Area.Audit => role is TenantRole.TenantAdmin or TenantRole.Auditor || isSupport || isOperator,
            Area.Endpoints or Area.Observability or Area.Migration or Area.Regions or Area.HealthSla or Area.Usage => role is not null,
            _ => false,
        };
    }

    /// <summary>Auditors read; only admins and developers change anything, and only admins manage people.</summary>
    public static bool CanChange(TenantRole role) => role is TenantRole.TenantAdmin or TenantRole.Developer;

    public static bool CanManageMembers(TenantRole role) => role is TenantRole.TenantAdmin;

    /// <summary>An endpoint's TTFT objective is a promise the customer's admin makes: developers and auditors read it.</summary>
    public static bool CanSetLatencyObjective(TenantRole role) => role is TenantRole.TenantAdmin;

    /// <summary>A tenant's quotas and use: its admins see them; the platform's operators and support staff see every tenant's.</summary>
    public static bool CanReadQuotas(TenantRole? role, bool isSupport, bool isOperator) =>
        role is TenantRole.TenantAdmin || isSupport || isOperator;

    /// <summary>Only the platform sets quotas: a tenant's own admin raising its limits would make them no limits.</summary>
    public static bool CanSetQuotas(bool isOperator) => isOperator;

    /// <summary>Budgets commit the tenant's money: its admins set them; developers and auditors read them.</summary>
    public static bool CanSetBudgets(TenantRole role) => role is TenantRole.TenantAdmin;

    /// <summary>Credentials that read the tenant's private weights are an admin's alone, like its members.</summary>
    public static bool CanManageWeightCredentials(TenantRole role) => role is TenantRole.TenantAdmin;

    /// <summary>Where the tenant's notices go (addresses, chat webhooks, quiet hours) is an admin's decision; members read it.</summary>
    public static bool CanManageNotifications(TenantRole role) => role is TenantRole.TenantAdmin;

    /// <summary>Synthetic probes of a serverless target spend the tenant's tokens: an admin's decision (or a platform operator's).</summary>
    public static bool CanSetProbes(TenantRole role) => role is TenantRole.TenantAdmin;

    /// <summary>
    /// Tenants are created, renamed, suspended, resumed and deleted by platform operators only; support staff keep their
    /// read-only look-ins and a tenant's own admins cannot lift their tenant's suspension.
    /// </summary>
    public static bool CanManageTenants(bool isOperator) => isOperator;

    public static IReadOnlyList<Area> AreasFor(TenantRole? role, bool isSupport, bool isOperator = false) =>
        Enum.GetValues<Area>().Where(a => CanUse(a, role, isSupport, isOperator)).ToList();
}
