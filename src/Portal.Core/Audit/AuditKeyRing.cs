namespace Portal.Core.Audit;

/// <summary>
/// Every public key that ever signed for the trail, by key id, each with the period it was current in: what verifies
/// an export made before a rotation as well as one made after it. Owns (and disposes) its verifiers.
/// </summary>
public sealed class AuditKeyRing : IDisposable
{
    private readonly Dictionary<string, AuditPublicKey> _keys;

    public AuditKeyRing(IEnumerable<AuditPublicKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _keys = new Dictionary<string, AuditPublicKey>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            _keys.TryAdd(key.Verifier.KeyId, key);
        }
    }

    public IReadOnlyCollection<AuditPublicKey> Keys => _keys.Values;

    /// <summary>The key ids, sorted, for messages.</summary>
    public string Describe() => string.Join(", ", _keys.Keys.Order(StringComparer.Ordinal));

    /// <summary>A ring of one key without a known period (an old single PEM file).</summary>
    public static AuditKeyRing Of(AuditCheckpointVerifier verifier) => new([new AuditPublicKey(verifier, null, null)]);

    public AuditCheckpointVerifier? Find(string keyId) => _keys.TryGetValue(keyId, out var key) ? key.Verifier : null;

    /// <summary>True when a known key made <paramref name="signature"/> over <paramref name="payload"/>.</summary>
    public bool VerifyText(string keyId, string payload, string signature) =>
        Find(keyId) is { } verifier && verifier.VerifyText(payload, signature);

    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            key.Verifier.Dispose();
        }
    }
}

/// <summary>One public key of the ring and the period it signed in (null ends: not stated).</summary>
public sealed record AuditPublicKey(AuditCheckpointVerifier Verifier, DateTimeOffset? NotBefore, DateTimeOffset? NotAfter);
