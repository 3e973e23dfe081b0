using System.Collections.Concurrent;
using Portal.Core.Gateway;

namespace Portal.Gateway.Routing;

/// <summary>In-flight requests on one upstream (a replica, or a serverless target), and its upstream URLs.</summary>
internal sealed class ReplicaLoad
{
    private int _outstanding;
    private UpstreamUris? _uris;

    public int Outstanding => Volatile.Read(ref _outstanding);

    public void Enter() => Interlocked.Increment(ref _outstanding);

    public void Exit() => Interlocked.Decrement(ref _outstanding);

    /// <summary>The operation's URL under <paramref name="baseUri"/>, built once per base rather than per request.</summary>
    public Uri UriFor(Uri baseUri, GatewayOperation operation)
    {
        var uris = _uris;
        if (uris is null || !ReferenceEquals(uris.Base, baseUri) && uris.Base != baseUri)
        {
            uris = new UpstreamUris(baseUri);
            _uris = uris;
        }

        return uris.ByOperation[(int)operation];
    }

    private sealed class UpstreamUris
    {
        public UpstreamUris(Uri baseUri)
        {
            Base = baseUri;
            var withSlash = baseUri.AbsoluteUri.EndsWith('/') ? baseUri : new Uri(baseUri.AbsoluteUri + "/");
            ByOperation = [.. Enum.GetValues<GatewayOperation>().Select(operation => new Uri(withSlash, operation.UpstreamPath()))];
        }

        public Uri Base { get; }

        public Uri[] ByOperation { get; }
    }
}

/// <summary>Load per upstream, kept by the gateway itself: the routing signal for least outstanding requests.</summary>
internal sealed class ReplicaLoads
{
    private readonly ConcurrentDictionary<string, ReplicaLoad> _replicas = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, ReplicaLoad> _serverless = new();

    public ReplicaLoad ForReplica(string replicaId) => _replicas.GetOrAdd(replicaId, static _ => new ReplicaLoad());

    public ReplicaLoad ForServerless(Guid targetId) => _serverless.GetOrAdd(targetId, static _ => new ReplicaLoad());

    /// <summary>Requests in flight on a replica without creating an entry for one the gateway never routed to.</summary>
    public int OutstandingOn(string replicaId) => _replicas.TryGetValue(replicaId, out var load) ? load.Outstanding : 0;
}
