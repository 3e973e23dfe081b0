namespace Portal.Identity;

public static class PortalClaims
{
    /// <summary>"true" on the principal of platform support staff.</summary>
    public const string Support = "portal_support";

    /// <summary>The tenant an automation client acts in.</summary>
    public const string Tenant = "portal_tenant";

    /// <summary>The role an automation client has in its tenant.</summary>
    public const string TenantRole = "portal_role";

    /// <summary>Marks a principal that belongs to an automation client, not a person.</summary>
    public const string ClientKind = "portal_client";
}

public static class PortalPolicies
{
    public const string Support = "Support";
}

public static class PortalScopes
{
    public const string Api = "portal_api";
}
