namespace Portal.Data.Entities;

/// <summary>A line of a deployment's timeline: replica transitions, restarts, scaling, failures.</summary>
public sealed class DeploymentEvent
{
    public long Id { get; set; }
    public Guid DeploymentId { get; set; }
    public Guid TenantId { get; set; }
    public Guid? ReplicaId { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Kind { get; set; }
    public required string Message { get; set; }
}
