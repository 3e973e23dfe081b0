using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Portal.Tests.Support;

/// <summary>
/// The key files production.md asks for, generated for a test portal: OpenIddict's signing and encryption certificates
/// (self-signed, password-protected) and the audit signing key, once per data folder.
/// </summary>
internal sealed record ProductionKeys(string Signing, string Encryption, string AuditKey)
{
    public const string Password = "test-certificate-password";

    /// <summary>The keys under <paramref name="dataDirectory"/>/keys, made on first use.</summary>
    public static ProductionKeys In(string dataDirectory)
    {
        var folder = Path.Combine(dataDirectory, "keys");
        Directory.CreateDirectory(folder);
        var keys = new ProductionKeys(Path.Combine(folder, "signing.pfx"), Path.Combine(folder, "encryption.pfx"), Path.Combine(folder, "audit-signing-key.pem"));
        // A restart on existing data (PortalApp.OnExistingData) keeps the keys of the first start, as a real instance would.
        if (!File.Exists(keys.AuditKey))
        {
            File.WriteAllBytes(keys.Signing, SelfSignedPfx("CN=Portal signing", X509KeyUsageFlags.DigitalSignature));
            File.WriteAllBytes(keys.Encryption, SelfSignedPfx("CN=Portal encryption", X509KeyUsageFlags.KeyEncipherment));
            using var signer = Portal.Core.Audit.AuditSigner.Create();
            File.WriteAllText(keys.AuditKey, signer.ExportPrivateKeyPem());
        }

        return keys;
    }

    private static byte[] SelfSignedPfx(string subject, X509KeyUsageFlags usage)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return certificate.Export(X509ContentType.Pfx, Password);
    }
}
