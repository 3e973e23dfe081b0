using System.Collections.Concurrent;
using Portal.Core.Keys;
using Portal.Gateway.Seams;

namespace Portal.Gateway.Tests.Support;

/// <summary>The host's role: keys and endpoints from an in-memory snapshot. Counts key look-ups.</summary>
internal sealed class InMemoryDirectory : IGatewayDirectory
{
    private readonly ConcurrentDictionary<string, GatewayKey> _keys = new();
    private readonly ConcurrentDictionary<(Guid Tenant, string Model), GatewayEndpoint> _endpoints = new();
    private int _keyLookups;

    public int KeyLookups => Volatile.Read(ref _keyLookups);

    /// <summary>Creates a key and returns its plaintext.</summary>
    public string AddKey(Guid tenantId, InferenceKeyScopes scopes = InferenceKeyScopes.All, Func<GatewayKey, GatewayKey>? adjust = null)
    {
        var key = InferenceKey.Generate();
        var record = new GatewayKey(Guid.NewGuid(), tenantId, scopes);
        _keys[key.Hash] = adjust?.Invoke(record) ?? record;
        return key.Plaintext;
    }

    public GatewayKey KeyFor(string plaintext) => _keys[InferenceKey.Hash(plaintext)];

    public void Update(string plaintext, Func<GatewayKey, GatewayKey> change)
    {
        var hash = InferenceKey.Hash(plaintext);
        _keys[hash] = change(_keys[hash]);
    }

    public void SetEndpoint(GatewayEndpoint endpoint) => _endpoints[(endpoint.TenantId, endpoint.Model)] = endpoint;

    public GatewayEndpoint Endpoint(Guid tenantId, string model) => _endpoints[(tenantId, model)];

    public ValueTask<GatewayKey?> FindKeyAsync(string keyHash, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _keyLookups);
        return ValueTask.FromResult(_keys.GetValueOrDefault(keyHash));
    }

    public ValueTask<GatewayEndpoint?> FindEndpointAsync(Guid tenantId, string model, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_endpoints.GetValueOrDefault((tenantId, model)));

    public ValueTask<IReadOnlyList<GatewayEndpoint>> ListEndpointsAsync(Guid tenantId, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<GatewayEndpoint>>(
            [.. _endpoints.Values.Where(e => e.TenantId == tenantId).OrderBy(e => e.Model, StringComparer.Ordinal)]);
}
