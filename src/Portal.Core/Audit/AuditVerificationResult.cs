namespace Portal.Core.Audit;

/// <summary>What is wrong with a chain, at its first bad place.</summary>
public enum AuditProblem
{
    /// <summary>A record's content no longer matches its own hash: a field was edited.</summary>
    HashMismatch,

    /// <summary>A record's hash is intact but the next record links to a different one: a record was rewritten.</summary>
    BrokenLink,

    /// <summary>A sequence number is missing: a record was deleted.</summary>
    SequenceGap,

    /// <summary>A record that the chain does not link through was added.</summary>
    Inserted,

    /// <summary>Records are present but out of their order.</summary>
    Reordered,

    /// <summary>The last records are missing: a checkpoint or the expected head lies beyond the last record.</summary>
    TailCut,

    /// <summary>A checkpoint's signature is invalid or made with another key.</summary>
    BadCheckpointSignature,

    /// <summary>A correctly signed checkpoint disagrees with the record it covers: the chain was rewritten.</summary>
    CheckpointMismatch,

    /// <summary>A record of another tenant's chain appears in this one: it was replayed from there.</summary>
    ForeignRecord,

    /// <summary>An export line is not as the portal writes it.</summary>
    FormatError,

    /// <summary>An export has no signed manifest: it was cut short or the manifest removed.</summary>
    ManifestMissing,

    /// <summary>An export's manifest does not match its signature: it was edited.</summary>
    ManifestInvalid,

    /// <summary>An export's manifest was signed by a key that is not among the audit keys.</summary>
    ManifestUnknownKey,

    /// <summary>An export holds other records than its signed manifest lists.</summary>
    ManifestMismatch,

    /// <summary>An export's header presents a filtered selection as something else (such as the complete chain).</summary>
    FilterMisrepresented,

    /// <summary>A file of the retention archive is missing or its bytes no longer match the hash recorded for it.</summary>
    ArchiveDamaged,
}

/// <summary>The outcome of <see cref="AuditChainVerifier.Verify"/>.</summary>
public sealed record AuditVerificationResult
{
    public required bool IsValid { get; init; }

    /// <summary>Records read and accepted before the first problem (all of them when valid).</summary>
    public required long RecordsVerified { get; init; }

    /// <summary>The last record known good: every record up to it passed (0 before record #1).</summary>
    public required long VerifiedUpTo { get; init; }

    /// <summary>The hash of <see cref="VerifiedUpTo"/>: where an incremental verification can resume.</summary>
    public required string VerifiedHash { get; init; }

    /// <summary>The last record covered by a valid checkpoint (or the trusted starting point).</summary>
    public required long AnchoredUpTo { get; init; }

    /// <summary>Checkpoints whose signature was valid and whose record was present with the signed hash.</summary>
    public required int CheckpointsVerified { get; init; }

    /// <summary>
    /// Checkpoints with a valid signature whose record was not in the set read (filtered exports only).
    /// </summary>
    public int CheckpointsWithoutRecord { get; init; }

    /// <summary>Whether checkpoint signatures were checked (a verifier was given) or only their hashes compared.</summary>
    public required bool SignaturesChecked { get; init; }

    /// <summary>The lowest sequence number that can no longer be trusted; see <see cref="AuditChainVerifier"/>.</summary>
    public long? FirstBadSequence { get; init; }

    public AuditProblem? Problem { get; init; }

    /// <summary>One sentence for a person, naming the first bad sequence number and what is wrong.</summary>
    public required string Message { get; init; }
}
