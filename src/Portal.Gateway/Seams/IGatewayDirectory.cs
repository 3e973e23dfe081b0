namespace Portal.Gateway.Seams;

/// <summary>
/// Keys and endpoints, implemented by the host. Called on every request and never cached by the gateway, so a revoked
/// key or a flipped primary takes effect on the next request. Serve it from an in-memory snapshot that is replaced
/// when keys or endpoints change, so the request path does not wait on a database.
/// </summary>
public interface IGatewayDirectory
{
    /// <summary>The key with this lower-case hex SHA-256 hash, including revoked and expired ones; null when unknown.</summary>
    ValueTask<GatewayKey?> FindKeyAsync(string keyHash, CancellationToken cancellationToken);

    /// <summary>The tenant's endpoint named <paramref name="model"/> (ordinal match); null when there is none.</summary>
    ValueTask<GatewayEndpoint?> FindEndpointAsync(Guid tenantId, string model, CancellationToken cancellationToken);

    /// <summary>All of the tenant's endpoints, for <c>GET /v1/models</c>.</summary>
    ValueTask<IReadOnlyList<GatewayEndpoint>> ListEndpointsAsync(Guid tenantId, CancellationToken cancellationToken);
}
