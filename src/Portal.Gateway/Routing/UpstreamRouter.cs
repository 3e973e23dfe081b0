using System.Buffers;
using Portal.Core.Gateway;
using Portal.Gateway.Seams;

namespace Portal.Gateway.Routing;

/// <summary>Where one attempt goes.</summary>
/// <param name="ReplicaId">Null for a serverless target.</param>
/// <param name="Alternatives">Other usable upstreams left for a failover.</param>
internal sealed record UpstreamRoute(
    string? ReplicaId, Uri BaseUri, string? Region, bool Burst, string? ApiKey, ReplicaLoad Load, int Alternatives)
{
    public string Prefix => BaseUri.OriginalString;

    /// <summary>Never prints the key.</summary>
    public override string ToString() => $"{ReplicaId ?? "serverless"} at {BaseUri}";
}

/// <summary>Applies <see cref="ReplicaRouting"/> to a target's current replicas and the gateway's own load counts.</summary>
internal sealed class UpstreamRouter(IReplicaStateProvider replicas, ReplicaLoads loads)
{
    private uint _tieBreaker;

    /// <summary>The upstream for the next attempt, or null when no allowed, Ready, untried capacity exists.</summary>
    public UpstreamRoute? Route(GatewayTarget target, IReadOnlySet<string>? allowedRegions, List<string>? tried)
    {
        if (target.Kind == TargetKind.Serverless)
        {
            // One external URL: nothing to fail over to within the target, and never outside the region lock.
            return target.BaseUri is null || tried is { Count: > 0 } || !RegionLock.Allows(allowedRegions, target.Region)
                ? null
                : new UpstreamRoute(null, target.BaseUri, target.Region, false, target.ApiKey, loads.ForServerless(target.Id), 0);
        }

        var current = replicas.GetReplicas(target.Id);
        var count = current.Count;
        if (count == 0)
        {
            return null;
        }

        var candidates = ArrayPool<ReplicaCandidate>.Shared.Rent(count);
        var replicaLoads = ArrayPool<ReplicaLoad>.Shared.Rent(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var replica = current[i];
                var load = loads.ForReplica(replica.Id);
                replicaLoads[i] = load;
                candidates[i] = new ReplicaCandidate(replica.Region, replica.IsBurst, replica.State, load.Outstanding,
                    target.SaturationBound, tried is not null && tried.Contains(replica.Id));
            }

            var choice = ReplicaRouting.Choose(candidates.AsSpan(0, count), allowedRegions, Interlocked.Increment(ref _tieBreaker));
            if (!choice.HasCapacity)
            {
                return null;
            }

            var chosen = current[choice.Index];
            return new UpstreamRoute(chosen.Id, chosen.BaseUri, chosen.Region, choice.Burst, chosen.ApiKey, replicaLoads[choice.Index], choice.Alternatives);
        }
        finally
        {
            ArrayPool<ReplicaCandidate>.Shared.Return(candidates, clearArray: true);
            ArrayPool<ReplicaLoad>.Shared.Return(replicaLoads, clearArray: true);
        }
    }
}
