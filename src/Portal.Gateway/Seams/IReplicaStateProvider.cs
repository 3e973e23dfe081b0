namespace Portal.Gateway.Seams;

/// <summary>
/// The current replicas of dedicated targets, implemented by the host from the reconciler's and probes' in-memory state.
/// Synchronous on purpose: it is read on every routing decision (and again on each failover attempt).
/// </summary>
public interface IReplicaStateProvider
{
    /// <summary>Every replica of the target with its state; empty when the target has none.</summary>
    IReadOnlyList<GatewayReplica> GetReplicas(Guid targetId);
}
