using System.Collections.Concurrent;
using Portal.Gateway.Seams;

namespace Portal.Gateway.Tests.Support;

/// <summary>The host's role: the reconciler's current view of each dedicated target's replicas.</summary>
internal sealed class InMemoryReplicas : IReplicaStateProvider
{
    private readonly ConcurrentDictionary<Guid, IReadOnlyList<GatewayReplica>> _replicas = new();

    public void Set(Guid targetId, params GatewayReplica[] replicas) => _replicas[targetId] = replicas;

    public IReadOnlyList<GatewayReplica> GetReplicas(Guid targetId) => _replicas.GetValueOrDefault(targetId) ?? [];
}
