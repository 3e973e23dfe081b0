namespace Portal.Core.Deployments;

/// <summary>Where a replica is in its life: Pending → Starting → LoadingWeights → Warming → Ready → Draining → Stopped (or Failed).</summary>
public enum ReplicaPhase
{
    Pending,
    Starting,
    LoadingWeights,

    /// <summary>Weights loaded; a pre-warm request runs so the first customer request is never cold.</summary>
    Warming,

    Ready,
    Draining,
    Failed,
    Stopped,
}
