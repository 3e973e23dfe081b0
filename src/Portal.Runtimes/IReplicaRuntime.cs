namespace Portal.Runtimes;

/// <summary>
/// Where replicas run. The reconciler drives it: it lists what exists (also after a portal restart), starts what is
/// missing, polls status, and stops what is surplus or failed. Every method is safe to call again after a crash.
/// </summary>
public interface IReplicaRuntime
{
    /// <summary>"local" or "kubernetes"; stored with each handle.</summary>
    string Kind { get; }

    /// <summary>Starts one more replica of the deployment and returns at once, before the weights are loaded.</summary>
    Task<ReplicaHandle> StartReplicaAsync(ReplicaLaunch launch, CancellationToken cancellationToken = default);

    Task<ReplicaStatus> GetStatusAsync(ReplicaHandle handle, CancellationToken cancellationToken = default);

    /// <summary>Stops the replica; nothing of it keeps running. Stopping one that is already gone is not an error.</summary>
    Task StopReplicaAsync(ReplicaHandle handle, CancellationToken cancellationToken = default);

    /// <summary>The deployment's replicas this runtime knows of, including ones started before a portal restart.</summary>
    Task<IReadOnlyList<ReplicaHandle>> ListReplicasAsync(Guid deploymentId, CancellationToken cancellationToken = default);

    /// <summary>Stops every replica of the deployment and removes what the runtime created for it.</summary>
    Task RemoveDeploymentAsync(Guid deploymentId, CancellationToken cancellationToken = default);
}
