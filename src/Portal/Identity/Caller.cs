using Portal.Core.Tenancy;

namespace Portal.Identity;

/// <param name="LookIn">A support person's time-boxed, audited look into the tenant: read-only, as an auditor.</param>
public sealed record TenantAccess(Guid TenantId, string TenantName, TenantRole Role, bool LookIn = false)
{
    /// <summary>The tenant requires two-factor sign-in of the people who work in it.</summary>
    public bool RequiresTwoFactor { get; init; }
}

/// <summary>
/// Who is calling, resolved from the database on every request (and revalidated in circuits), so a changed role or a
/// disabled member takes effect without waiting for a cookie or token to expire.
/// </summary>
public sealed record Caller(string Subject, string Name, bool IsClient, bool IsSupport, IReadOnlyList<TenantAccess> Tenants)
{
    /// <summary>A platform operator (<see cref="Core.Tenancy.PortalRoles.Operator"/>): sets tenants' quotas.</summary>
    public bool IsOperator { get; init; }

    /// <summary>
    /// An actor inside the portal itself (the first-run demo), built in code and never from a request: it has no account
    /// or client row to look up again, so its access is what it was built with.
    /// </summary>
    public bool IsSystem { get; init; }

    /// <summary>
    /// Tenants the caller belongs to that a platform operator has suspended: not in <see cref="Tenants"/> (nothing in them
    /// may be used), named here so pages and the API can say why.
    /// </summary>
    public IReadOnlyList<TenantAccess> Suspended { get; init; } = [];

    /// <summary>
    /// Tenants that require two-factor sign-in of a person who has not set it up: they are not in
    /// <see cref="Tenants"/>, so nothing of theirs opens, until the person enrols.
    /// </summary>
    public IReadOnlyList<TenantAccess> AwaitingTwoFactor { get; init; } = [];

    public TenantAccess? In(Guid tenantId) => Tenants.FirstOrDefault(t => t.TenantId == tenantId);

    /// <summary>
    /// The tenant a page or call is held back from until the person sets up two-factor sign-in: the one it names, if
    /// it awaits that; with none named, a member's first awaiting tenant when no other is left to act in (support staff
    /// and operators then act for the platform, which asks nothing).
    /// </summary>
    public TenantAccess? HeldBack(Guid? named) =>
        named is { } id ? AwaitingTwoFactor.FirstOrDefault(t => t.TenantId == id)
        : Tenants.Count == 0 && !IsSupport && !IsOperator ? AwaitingTwoFactor.FirstOrDefault()
        : null;

    /// <summary>The tenant the caller works in: the preferred one when the caller belongs to it, else the first.</summary>
    public TenantAccess? Active(Guid? preferred) =>
        preferred is { } id && In(id) is { } access ? access : Tenants.FirstOrDefault();
}
