namespace Portal.Data.Entities;

public enum DeploymentStatus
{
    /// <summary>Accepted; the reconciler has not started replicas yet.</summary>
    Pending,

    /// <summary>Replicas are starting, loading weights or warming.</summary>
    Deploying,

    /// <summary>At least the baseline of replicas is Ready.</summary>
    Ready,

    /// <summary>Some replicas Ready, fewer than the baseline (a replica failed and is being replaced).</summary>
    Degraded,

    /// <summary>Scaled to zero by a person; the desired state is kept.</summary>
    Stopped,

    /// <summary>Deleted: replicas are being removed; the row stays for history and cost.</summary>
    Deleted,
}

/// <summary>
/// Desired state of a dedicated deployment. <see cref="SpecJson"/> is the full wizard spec (the one validator's
/// input); the columns beside it are copies for lists, filters and the reconciler.
/// </summary>
public sealed class Deployment
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TenantId { get; set; }
    public required string Name { get; set; }
    public required string SpecJson { get; set; }
    public required string ModelDisplayName { get; set; }
    public required string ServedModelName { get; set; }
    public required string Engine { get; set; }
    public required string GpuType { get; set; }
    public int GpusPerReplica { get; set; }
    public int BaselineReplicas { get; set; }
    public int MaxReplicas { get; set; }

    /// <summary>How many replicas should run now: baseline, or more while burst capacity is in use.</summary>
    public int DesiredReplicas { get; set; }

    public required string Region { get; set; }
    public decimal PricePerGpuHour { get; set; }
    public DeploymentStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Changes on every update of the desired state; the reconciler and concurrent editors compare it.</summary>
    public Guid ConcurrencyStamp { get; set; } = Guid.NewGuid();

    public List<Replica> Replicas { get; set; } = [];
}
