namespace Portal.Data.Entities;

public sealed class Tenant
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Name { get; set; }
    public required string Slug { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Its members work in it only once they sign in with two factors (automation clients are not asked).</summary>
    public bool RequireTwoFactor { get; set; }

    public List<TenantMembership> Members { get; set; } = [];
}
