using Portal.Core.Tenancy;

namespace Portal.Platform;

/// <summary>A tenant as platform operators see it: its life, its size, its allowed regions; none of its data.</summary>
/// <param name="AllowedRegions">The tenant's residency policy (the regions it may use); null when it may use every region.</param>
public sealed record TenantView(
    Guid Id, string Name, string Slug, TenantState State, DateTimeOffset CreatedAt, DateTimeOffset? SuspendedAt, DateTimeOffset? DeletedAt,
    int Members, IReadOnlyList<string>? AllowedRegions);

public sealed record CreateTenantRequest(string? Name, string? Slug);

public sealed record RenameTenantRequest(string? Name);

/// <param name="Reason">Why, for the audit trail (e.g. the ticket or the unpaid invoice); optional.</param>
public sealed record TenantStateRequest(string? Reason);

/// <summary>What deleting a tenant did, besides marking it deleted.</summary>
public sealed record DeletedTenantView(TenantView Tenant, int DeploymentsDeleted, int EndpointsRemoved, int KeysRevoked, int ClientsDisabled);
