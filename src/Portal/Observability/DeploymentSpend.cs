using Portal.Core.Cost;
using Portal.Data.Entities;

namespace Portal.Observability;

/// <summary>A deployment's spend over a window by its replicas' real lifetimes (<see cref="DedicatedSpend"/>); replicas must be loaded.</summary>
public static class DeploymentSpend
{
    /// <summary>A replica holds its GPUs from its creation (weights loading included) until it is stopped.</summary>
    public static IEnumerable<ReplicaLifetime> Lifetimes(Deployment deployment) => deployment.Replicas.Select(Lifetime);

    public static ReplicaLifetime Lifetime(Replica replica) => new(replica.CreatedAt, replica.StoppedAt);

    public static decimal Usd(Deployment deployment, DateTimeOffset from, DateTimeOffset to) =>
        DedicatedSpend.Usd(Lifetimes(deployment), from, to, deployment.GpusPerReplica, deployment.PricePerGpuHour);

    public static decimal ReplicaHours(Deployment deployment, DateTimeOffset from, DateTimeOffset to) =>
        DedicatedSpend.ReplicaHours(Lifetimes(deployment), from, to);
}
