namespace Portal.Core.Tenancy;

/// <summary>A person's or program's role inside one tenant. Support and Operator are platform-wide and live on the user.</summary>
public enum TenantRole
{
    Auditor = 0,
    Developer = 1,
    TenantAdmin = 2,
}

public static class PortalRoles
{
    public const string TenantAdmin = nameof(TenantRole.TenantAdmin);
    public const string Developer = nameof(TenantRole.Developer);
    public const string Auditor = nameof(TenantRole.Auditor);
    public const string Support = "Support";

    /// <summary>Platform-wide: runs the platform's tenants (creates, suspends, deletes them, sets quotas and regions); marked on the user like support staff.</summary>
    public const string Operator = "Operator";

    public static bool TryParse(string? value, out TenantRole role) =>
        Enum.TryParse(value, ignoreCase: false, out role) && Enum.IsDefined(role);
}
