namespace Portal.Gateway.Routing;

/// <summary>
/// What this gateway process has in flight per replica (running on the replica or waiting in its queue): the load
/// signal of the autoscaler and of draining. It sees only this process's requests.
/// </summary>
public sealed class GatewayLoad
{
    private readonly ReplicaLoads _loads;

    internal GatewayLoad(ReplicaLoads loads) => _loads = loads;

    public int InFlightOn(string replicaId) => _loads.OutstandingOn(replicaId);
}
