namespace Portal.Audit;

public sealed class AuditOptions
{
    /// <summary>PEM (PKCS#8) of the ECDSA P-256 key that signs checkpoints. Required in Production (or a path).</summary>
    public string? SigningKeyPem { get; set; }

    /// <summary>A file holding that PEM. In Development a key is generated here when missing and kept.</summary>
    public string? SigningKeyPath { get; set; }

    /// <summary>How often a checkpoint is signed over the chain's head (when it moved).</summary>
    public string CheckpointCron { get; set; } = "* * * * *";

    /// <summary>How often the chain is verified from the last good checkpoint.</summary>
    public string VerifyCron { get; set; } = "*/10 * * * *";

    /// <summary>How often the whole chain is verified from record #1.</summary>
    public string FullVerifyCron { get; set; } = "17 3 * * *";

    /// <summary>How long a support look-in into a tenant lasts.</summary>
    public int LookInMinutes { get; set; } = 60;
}
