namespace Portal.Data.Entities;

/// <summary>A support person's time-boxed, reasoned look into one tenant.</summary>
public sealed class SupportLookIn
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid SupportUserId { get; set; }
    public Guid TenantId { get; set; }
    public Tenant? Tenant { get; set; }
    public required string Reason { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}
