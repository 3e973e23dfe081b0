using Microsoft.Extensions.Options;
using Portal.Core.Audit;
using Portal.Hosting;

namespace Portal.Audit;

/// <summary>
/// The audit signing keys: the history from configuration (<see cref="AuditOptions.Keys"/>) or a single key, in
/// Development generated once and kept on disk. The current key signs; every key stays published.
/// </summary>
public sealed class AuditKeyProvider : IDisposable
{
    private readonly AuditSigner _signer;
    private readonly List<AuditKeyDocument.Entry> _published = [];

    public AuditKeyProvider(IOptions<AuditOptions> options, IHostEnvironment environment, TimeProvider clock, ILogger<AuditKeyProvider> logger)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var history = settings.Keys.Select(key => (Key: key, Private: PrivatePem(key))).ToList();
        var current = history.Where(k => k.Private is not null && (k.Key.NotBefore ?? DateTimeOffset.MinValue) <= now && now < (k.Key.NotAfter ?? DateTimeOffset.MaxValue))
            .OrderByDescending(k => k.Key.NotBefore ?? DateTimeOffset.MinValue).Select(k => k.Key).FirstOrDefault();
        if (current is not null)
        {
            _signer = AuditSigner.FromPem(PrivatePem(current)!);
            CurrentNotAfter = current.NotAfter;
        }
        else if (history.Count > 0 && string.IsNullOrWhiteSpace(settings.SigningKeyPem) && string.IsNullOrWhiteSpace(settings.SigningKeyPath))
        {
            throw new InvalidOperationException("No key of Audit:Keys is valid now and has its private key: add the next key before the last one ends.");
        }
        else
        {
            _signer = SingleKey(settings, environment, logger);
        }

        PublicKeyPem = _signer.ExportPublicKeyPem();
        foreach (var (key, privatePem) in history)
        {
            var publicPem = key.PublicKeyPem ?? (privatePem is null ? null : PublicOf(privatePem))
                ?? throw new InvalidOperationException("A key of Audit:Keys has neither PublicKeyPem nor a private key.");
            _published.Add(new AuditKeyDocument.Entry(publicPem, key.NotBefore, key.NotAfter, key == current));
        }

        if (current is null)
        {
            _published.Add(new AuditKeyDocument.Entry(PublicKeyPem, null, null, Current: true));
        }
    }

    public AuditSigner Signer => _signer;

    /// <summary>The current key's public key.</summary>
    public string PublicKeyPem { get; }

    public string KeyId => _signer.KeyId;

    /// <summary>When the current key stops signing; null when no end is configured.</summary>
    public DateTimeOffset? CurrentNotAfter { get; }

    public AuditCheckpointVerifier CreateVerifier() => AuditCheckpointVerifier.FromPem(PublicKeyPem);

    /// <summary>Every public key the trail may have been signed with; the caller disposes it.</summary>
    public AuditKeyRing CreateKeyRing() => AuditKeyDocument.Read(KeyDocument());

    /// <summary>The published key document (JWKS-like): every key ever used, with its period.</summary>
    public string KeyDocument() => AuditKeyDocument.Write(_published);

    public void Dispose() => _signer.Dispose();

    private static string? PrivatePem(AuditKeyOptions key) =>
        !string.IsNullOrWhiteSpace(key.PrivateKeyPem) ? key.PrivateKeyPem
        : !string.IsNullOrWhiteSpace(key.PrivateKeyPath) && File.Exists(key.PrivateKeyPath) ? File.ReadAllText(key.PrivateKeyPath)
        : null;

    private static string PublicOf(string privatePem)
    {
        using var signer = AuditSigner.FromPem(privatePem);
        return signer.ExportPublicKeyPem();
    }

    private static AuditSigner SingleKey(AuditOptions settings, IHostEnvironment environment, ILogger logger)
    {
        if (!string.IsNullOrWhiteSpace(settings.SigningKeyPem))
        {
            return AuditSigner.FromPem(settings.SigningKeyPem);
        }

        if (!string.IsNullOrWhiteSpace(settings.SigningKeyPath) && File.Exists(settings.SigningKeyPath))
        {
            return AuditSigner.FromPem(File.ReadAllText(settings.SigningKeyPath));
        }

        if (!environment.IsHardened() && !string.IsNullOrWhiteSpace(settings.SigningKeyPath))
        {
            var signer = AuditSigner.Create();
            var path = Path.GetFullPath(settings.SigningKeyPath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, signer.ExportPrivateKeyPem());
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            logger.LogWarning("Generated a development audit signing key at {Path}; configure Audit:Keys or Audit:SigningKeyPem in production.", path);
            return signer;
        }

        throw new InvalidOperationException(
            "No audit signing key: set Audit:Keys, Audit:SigningKeyPem or Audit:SigningKeyPath to an ECDSA P-256 private key (PKCS#8 PEM).");
    }
}
