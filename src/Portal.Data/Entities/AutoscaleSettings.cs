namespace Portal.Data.Entities;

/// <summary>
/// A deployment's autoscale policy (a row only once someone changed it from the defaults) and what the autoscaler
/// remembers between looks, so a restarted portal neither forgets a sustained load nor skips a cool-down.
/// </summary>
public sealed class AutoscaleSettings
{
    public Guid DeploymentId { get; set; }
    public Guid TenantId { get; set; }
    public double TargetInFlightPerReplica { get; set; }
    public int ScaleOutAfterSeconds { get; set; }
    public int ScaleInAfterSeconds { get; set; }
    public double QuietBelowFraction { get; set; }
    public int CooldownSeconds { get; set; }

    /// <summary>How long a draining replica waits for its streams in flight before it stops anyway.</summary>
    public int DrainTimeoutSeconds { get; set; }

    public DateTimeOffset? HighSince { get; set; }
    public DateTimeOffset? QuietSince { get; set; }
    public DateTimeOffset? LastChangeAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
