using Portal.Core.Gateway;

namespace Portal.Gateway.Seams;

/// <summary>One replica of a dedicated target, as routing sees it now.</summary>
/// <param name="Id">Stable id; the gateway counts in-flight requests per id.</param>
/// <param name="BaseUri">The replica's OpenAI base URL including <c>/v1/</c>, e.g. <c>http://10.0.0.7:8000/v1/</c>.</param>
/// <param name="Region">The region the replica runs in.</param>
/// <param name="IsBurst">Burst capacity: used only when every baseline replica is saturated.</param>
public sealed record GatewayReplica(string Id, Uri BaseUri, string Region, ReplicaRouteState State, bool IsBurst = false)
{
    /// <summary>The replica's own engine key, already decrypted by the host; sent as the bearer token of every attempt.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Never prints the key.</summary>
    public override string ToString() => $"replica {Id} at {BaseUri} ({Region}, {State}{(IsBurst ? ", burst" : "")})";
}
