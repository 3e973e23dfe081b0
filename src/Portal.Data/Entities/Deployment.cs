using Portal.Core.Deployments;

namespace Portal.Data.Entities;

/// <summary>
/// Desired state of a dedicated deployment. <see cref="SpecJson"/> is the full wizard spec (the one validator's
/// input); the columns beside it are copies for lists, filters and the reconciler.
/// </summary>
public sealed class Deployment : ITenantOwned
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
