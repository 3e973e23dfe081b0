using System.Security.Cryptography;

namespace Portal.Core.Audit;

/// <summary>Checks checkpoint signatures against one public key.</summary>
public sealed class AuditCheckpointVerifier : IDisposable
{
    private readonly ECDsa _key;

    private AuditCheckpointVerifier(ECDsa key)
    {
        _key = key;
        KeyId = AuditKeys.KeyIdOf(key);
    }

    /// <summary>See <see cref="AuditSigner.KeyId"/>.</summary>
    public string KeyId { get; }

    /// <summary>From a PEM <c>PUBLIC KEY</c> (SubjectPublicKeyInfo) block.</summary>
    /// <exception cref="ArgumentException">The text holds no P-256 public key.</exception>
    public static AuditCheckpointVerifier FromPem(string publicKeyPem)
    {
        ArgumentNullException.ThrowIfNull(publicKeyPem);
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(publicKeyPem);
            AuditKeys.EnsureP256(key, nameof(publicKeyPem));
            return new AuditCheckpointVerifier(key);
        }
        catch (CryptographicException e)
        {
            key.Dispose();
            throw new ArgumentException("The text holds no ECDSA P-256 public key in PEM form.", nameof(publicKeyPem), e);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>
    /// True when the checkpoint names this key and its signature is valid. The signature text must be canonical
    /// base64, so that no character of it can change unnoticed.
    /// </summary>
    public bool Verify(AuditCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (checkpoint.KeyId != KeyId || !AuditHash.IsWellFormed(checkpoint.Hash))
        {
            return false;
        }

        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(checkpoint.Signature);
        }
        catch (FormatException)
        {
            return false;
        }

        return Convert.ToBase64String(signature) == checkpoint.Signature
            && _key.VerifyData(checkpoint.PayloadBytes(), signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }

    /// <summary>True when <paramref name="signature"/> is canonical base64 of this key's signature over <paramref name="payload"/>.</summary>
    public bool VerifyText(string payload, string signature)
    {
        ArgumentNullException.ThrowIfNull(payload);
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(signature ?? "");
        }
        catch (FormatException)
        {
            return false;
        }

        return bytes.Length > 0 && Convert.ToBase64String(bytes) == signature
            && _key.VerifyData(System.Text.Encoding.UTF8.GetBytes(payload), bytes, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }

    public void Dispose() => _key.Dispose();
}

internal static class AuditKeys
{
    private const string P256Oid = "1.2.840.10045.3.1.7";

    public static string KeyIdOf(ECDsa key) =>
        Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];

    public static void EnsureP256(ECDsa key, string parameterName)
    {
        if (key.KeySize != 256 || key.ExportParameters(includePrivateParameters: false).Curve.Oid?.Value != P256Oid)
        {
            throw new ArgumentException("The audit key must be an ECDSA P-256 key.", parameterName);
        }
    }
}
