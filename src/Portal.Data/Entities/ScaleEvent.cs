namespace Portal.Data.Entities;

/// <summary>One decision of the autoscaler that changed a deployment's desired replicas, with the metric behind it.</summary>
public sealed class ScaleEvent
{
    public long Id { get; set; }
    public Guid DeploymentId { get; set; }
    public Guid TenantId { get; set; }
    public DateTimeOffset At { get; set; }
    public int FromReplicas { get; set; }
    public int ToReplicas { get; set; }
    public required string Reason { get; set; }

    /// <summary>Requests in flight per Ready replica at the decision; null when no replica was Ready.</summary>
    public double? LoadPerReplica { get; set; }

    /// <summary>The policy in force, as JSON.</summary>
    public required string PolicyJson { get; set; }
}
