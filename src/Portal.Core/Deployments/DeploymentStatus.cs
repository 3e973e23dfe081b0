namespace Portal.Core.Deployments;

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
