namespace Portal.Data.Entities;

/// <summary>A tenant's residency policy: the only regions anything of the tenant may run or be routed in.</summary>
public sealed class TenantResidencyPolicy
{
    public Guid TenantId { get; set; }

    /// <summary>Allowed region ids, sorted, comma-separated.</summary>
    public required string Regions { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }
}

/// <summary>An endpoint's region lock, within the tenant's policy.</summary>
public sealed class EndpointRegionLock
{
    public Guid EndpointId { get; set; }
    public Guid TenantId { get; set; }

    /// <summary>Allowed region ids, sorted, comma-separated.</summary>
    public required string Regions { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }
}

/// <summary>One change of a residency policy or endpoint lock, with its reason; kept for the residency report.</summary>
public sealed class RegionLockChange
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }

    /// <summary>Null for the tenant policy.</summary>
    public Guid? EndpointId { get; set; }

    /// <summary>The endpoint's name at the time, or "tenant policy".</summary>
    public required string Subject { get; set; }

    /// <summary>Region ids before and after, comma-separated; null = unlocked.</summary>
    public string? Before { get; set; }
    public string? After { get; set; }

    public required string Reason { get; set; }
    public string? ActorId { get; set; }
    public required string ActorName { get; set; }
    public DateTimeOffset At { get; set; }
}
