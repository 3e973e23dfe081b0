using System.Security.Cryptography;

namespace Portal.Core.Audit;

/// <summary>
/// Signs checkpoints with the platform's ECDSA P-256 audit key. Owns (and disposes) the key it is given.
/// </summary>
public sealed class AuditSigner : IDisposable
{
    private readonly ECDsa _key;

    /// <exception cref="ArgumentException">The key is not a P-256 private key.</exception>
    public AuditSigner(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        AuditKeys.EnsureP256(key, nameof(key));
        _key = key;
        KeyId = AuditKeys.KeyIdOf(key);
    }

    /// <summary>First 16 lower-case hex digits of SHA-256 over the public key's SubjectPublicKeyInfo DER.</summary>
    public string KeyId { get; }

    /// <summary>A new random P-256 key.</summary>
    public static AuditSigner Create() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>From a PEM private key (<c>PRIVATE KEY</c>, <c>EC PRIVATE KEY</c>).</summary>
    public static AuditSigner FromPem(string privateKeyPem)
    {
        ArgumentNullException.ThrowIfNull(privateKeyPem);
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(privateKeyPem);
            return new AuditSigner(key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>The public key as PEM <c>PUBLIC KEY</c> (SubjectPublicKeyInfo): what the portal offers for download.</summary>
    public string ExportPublicKeyPem() => _key.ExportSubjectPublicKeyInfoPem();

    /// <summary>The private key as PEM PKCS#8, for storing it in the platform's secret store.</summary>
    public string ExportPrivateKeyPem() => _key.ExportPkcs8PrivateKeyPem();

    public AuditCheckpointVerifier CreateVerifier() => AuditCheckpointVerifier.FromPem(ExportPublicKeyPem());

    /// <summary>Signs <paramref name="payload"/> (UTF-8) the way checkpoints are signed: base64 of a DER ECDSA signature.</summary>
    public string SignText(string payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return Convert.ToBase64String(_key.SignData(System.Text.Encoding.UTF8.GetBytes(payload), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    }

    /// <summary>Signs the statement "record <paramref name="head"/>.Sequence of the legacy segment has hash <paramref name="head"/>.Hash".</summary>
    public AuditCheckpoint Sign(AuditChainHead head, DateTimeOffset signedAt) => Sign(AuditChain.Legacy, head, signedAt);

    /// <summary>Signs the statement "record <paramref name="head"/>.Sequence of <paramref name="chain"/> has hash <paramref name="head"/>.Hash".</summary>
    public AuditCheckpoint Sign(string chain, AuditChainHead head, DateTimeOffset signedAt)
    {
        ArgumentNullException.ThrowIfNull(chain);
        AuditHash.EnsureHash(head.Hash, nameof(head));
        var unsigned = new AuditCheckpoint
        {
            Chain = chain,
            Sequence = head.Sequence,
            Hash = head.Hash,
            SignedAt = AuditTime.Normalize(signedAt),
            Signature = string.Empty,
            KeyId = KeyId,
        };
        var signature = _key.SignData(unsigned.PayloadBytes(), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return unsigned with { Signature = Convert.ToBase64String(signature) };
    }

    public void Dispose() => _key.Dispose();
}
