namespace Portal.Audit;

public sealed class AuditOptions
{
    /// <summary>PEM (PKCS#8) of the ECDSA P-256 key that signs checkpoints. Required in Production (or a path, or <see cref="Keys"/>).</summary>
    public string? SigningKeyPem { get; set; }

    /// <summary>A file holding that PEM. In Development a key is generated here when missing and kept.</summary>
    public string? SigningKeyPath { get; set; }

    /// <summary>
    /// The key history: every key that signs or ever signed, each with its validity period. The key valid now that
    /// has a private key signs (the latest to start, when periods overlap); retired keys need only their public key,
    /// and stay published so exports they signed still verify.
    /// </summary>
    public List<AuditKeyOptions> Keys { get; set; } = [];

    /// <summary>How many days before the current key's end the portal starts warning admins to rotate it.</summary>
    public int KeyExpiryWarningDays { get; set; } = 30;

    /// <summary>How often a checkpoint is signed over each chain's head (when it moved).</summary>
    public string CheckpointCron { get; set; } = "* * * * *";

    /// <summary>How often the chains are verified from the last good checkpoint.</summary>
    public string VerifyCron { get; set; } = "*/10 * * * *";

    /// <summary>How often every chain is verified from its start.</summary>
    public string FullVerifyCron { get; set; } = "17 3 * * *";

    /// <summary>
    /// Days a record stays in the live table before the retention archive moves it to a signed file; null (the
    /// default): every record stays live forever.
    /// </summary>
    public int? RetentionDays { get; set; }

    /// <summary>Where the retention archive writes its files.</summary>
    public string ArchiveDirectory { get; set; } = "data/audit-archive";

    /// <summary>How often the retention archive runs (when <see cref="RetentionDays"/> is set).</summary>
    public string ArchiveCron { get; set; } = "41 2 * * *";

    /// <summary>How long a support look-in into a tenant lasts.</summary>
    public int LookInMinutes { get; set; } = 60;
}

/// <summary>One signing key of the history (<see cref="AuditOptions.Keys"/>).</summary>
public sealed class AuditKeyOptions
{
    /// <summary>The private key (PKCS#8 PEM), for a key that signs now or will.</summary>
    public string? PrivateKeyPem { get; set; }

    /// <summary>A file holding the private key.</summary>
    public string? PrivateKeyPath { get; set; }

    /// <summary>The public key (PEM), enough for a retired key.</summary>
    public string? PublicKeyPem { get; set; }

    /// <summary>When the key starts signing (UTC); null: always.</summary>
    public DateTimeOffset? NotBefore { get; set; }

    /// <summary>When the key stops signing (UTC); null: never.</summary>
    public DateTimeOffset? NotAfter { get; set; }
}
