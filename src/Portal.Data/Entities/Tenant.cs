namespace Portal.Data.Entities;

public sealed class Tenant
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Name { get; set; }
    public required string Slug { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Set by a platform operator: the tenant's members, clients and inference keys are refused until it is resumed.</summary>
    public DateTimeOffset? SuspendedAt { get; set; }

    /// <summary>
    /// Offboarded: its deployments were deleted and its keys revoked. The row stays (its slug stays taken) so the audit
    /// trail, cost history and samples keep naming it.
    /// </summary>
    public DateTimeOffset? DeletedAt { get; set; }

    /// <summary>Its members work in it only once they sign in with two factors (automation clients are not asked).</summary>
    public bool RequireTwoFactor { get; set; }

    public List<TenantMembership> Members { get; set; } = [];
}
