using Microsoft.Extensions.Options;
using Portal.Core.Audit;
using Portal.Hosting;

namespace Portal.Audit;

/// <summary>The checkpoint signing key: from configuration, or in Development generated once and kept on disk.</summary>
public sealed class AuditKeyProvider : IDisposable
{
    private readonly AuditSigner _signer;

    public AuditKeyProvider(IOptions<AuditOptions> options, IHostEnvironment environment, ILogger<AuditKeyProvider> logger)
    {
        var settings = options.Value;
        if (!string.IsNullOrWhiteSpace(settings.SigningKeyPem))
        {
            _signer = AuditSigner.FromPem(settings.SigningKeyPem);
        }
        else if (!string.IsNullOrWhiteSpace(settings.SigningKeyPath) && File.Exists(settings.SigningKeyPath))
        {
            _signer = AuditSigner.FromPem(File.ReadAllText(settings.SigningKeyPath));
        }
        else if (!environment.IsHardened() && !string.IsNullOrWhiteSpace(settings.SigningKeyPath))
        {
            _signer = AuditSigner.Create();
            var path = Path.GetFullPath(settings.SigningKeyPath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, _signer.ExportPrivateKeyPem());
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            logger.LogWarning("Generated a development audit signing key at {Path}; configure Audit:SigningKeyPem in production.", path);
        }
        else
        {
            throw new InvalidOperationException(
                "No audit signing key: set Audit:SigningKeyPem or Audit:SigningKeyPath to an ECDSA P-256 private key (PKCS#8 PEM).");
        }

        PublicKeyPem = _signer.ExportPublicKeyPem();
    }

    public AuditSigner Signer => _signer;

    public string PublicKeyPem { get; }

    public string KeyId => _signer.KeyId;

    public AuditCheckpointVerifier CreateVerifier() => AuditCheckpointVerifier.FromPem(PublicKeyPem);

    public void Dispose() => _signer.Dispose();
}
