namespace Portal.Core.Audit;

/// <summary>How an audited operation ended.</summary>
public enum AuditOutcome
{
    Success,
    Failure,
    Denied,
}

/// <summary>
/// One sealed entry of the audit chain. Every field except <see cref="Hash"/> is covered by the hash
/// (see <see cref="AuditCanonicalJson"/>); <see cref="Hash"/> = SHA-256(<see cref="PreviousHash"/> ‖ canonical JSON).
/// Create new records with <see cref="Seal"/>; the other constructor path (object initializer) is for loading
/// records that already exist, from the store or from an export.
/// </summary>
public sealed record AuditRecord
{
    /// <summary>
    /// Gap-free within the record's <see cref="Chain"/>. The legacy segment counts from 1; every other chain counts on
    /// from the legacy segment's head (see <see cref="AuditChain"/>).
    /// </summary>
    public required long Sequence { get; init; }

    /// <summary>
    /// The chain this record belongs to (<see cref="AuditChain"/>). Not hashed: a sealed record's chain follows from
    /// its tenant, except for records of the frozen legacy segment, which the store marks <see cref="AuditChain.Legacy"/>.
    /// </summary>
    public string Chain { get; init; } = AuditChain.Platform;

    /// <summary>UTC, whole milliseconds when produced by <see cref="Seal"/>.</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>Null for platform records (sign-ins, support look-ins, platform settings).</summary>
    public Guid? TenantId { get; init; }

    public required string ActorId { get; init; }

    public required string ActorName { get; init; }

    /// <summary>Comma-separated, distinct, sorted ordinally, no spaces.</summary>
    public required string ActorRoles { get; init; }

    public required string ActorIp { get; init; }

    /// <summary>Dotted lower-case verb such as <c>member.role_changed</c>.</summary>
    public required string Action { get; init; }

    public required string ResourceType { get; init; }

    public required string ResourceId { get; init; }

    public required AuditOutcome Outcome { get; init; }

    public string? Reason { get; init; }

    /// <summary>A JSON object as text, e.g. <c>{"before":{...},"after":{...}}</c>; hashed byte for byte as stored.</summary>
    public string? Details { get; init; }

    public required string CorrelationId { get; init; }

    /// <summary>64 lower-case hex digits: the hash of record <c>Sequence - 1</c>, or <see cref="AuditHash.Genesis"/>.</summary>
    public required string PreviousHash { get; init; }

    /// <summary>64 lower-case hex digits.</summary>
    public required string Hash { get; init; }

    /// <summary>
    /// Seals <paramref name="entry"/> as the record that follows <paramref name="previous"/> (the chain's current
    /// head, or the chain's starting point for its first record). The store calls this inside the append transaction,
    /// after reading the head of the entry's chain, and a unique key on (chain, sequence) keeps the numbers gap-free.
    /// </summary>
    /// <remarks>
    /// Normalizes the time to UTC whole milliseconds and the roles to their sorted form, fits every field to its
    /// bound (<see cref="AuditBounds"/>: a missing value becomes a placeholder, an over-long one is cut visibly), checks
    /// that <see cref="AuditEntry.Details"/> is a JSON object, and refuses text that still carries a secret
    /// (run <see cref="AuditRedaction"/> over reason and details first).
    /// </remarks>
    /// <exception cref="ArgumentException">The entry is not fit to enter the chain.</exception>
    public static AuditRecord Seal(AuditChainHead previous, AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        AuditHash.EnsureHash(previous.Hash, nameof(previous));
        entry = AuditBounds.Bounded(entry with { ActorRoles = AuditEntry.JoinRoles((entry.ActorRoles ?? "").Split(',')) });
        AuditRedaction.EnsureDetailsIsObject(entry.Details, nameof(entry));
        if (AuditRedaction.DescribeSecret(entry.Reason, entry.Details) is { } secret)
        {
            throw new ArgumentException($"The audit entry still carries a secret ({secret}); redact it before sealing.", nameof(entry));
        }

        var unsealed = new AuditRecord
        {
            Sequence = previous.Sequence + 1,
            Chain = AuditChain.Of(entry.TenantId),
            OccurredAt = AuditTime.Normalize(entry.OccurredAt),
            TenantId = entry.TenantId,
            ActorId = entry.ActorId,
            ActorName = entry.ActorName,
            ActorRoles = entry.ActorRoles,
            ActorIp = entry.ActorIp,
            Action = entry.Action,
            ResourceType = entry.ResourceType,
            ResourceId = entry.ResourceId,
            Outcome = entry.Outcome,
            Reason = entry.Reason,
            Details = entry.Details,
            CorrelationId = entry.CorrelationId,
            PreviousHash = previous.Hash,
            Hash = string.Empty,
        };
        return unsealed with { Hash = AuditHash.Compute(previous.Hash, unsealed) };
    }
}

/// <summary>A position in the chain: the last record's sequence number and hash.</summary>
public readonly record struct AuditChainHead(long Sequence, string Hash)
{
    /// <summary>The position before record #1.</summary>
    public static AuditChainHead Genesis { get; } = new(0, AuditHash.Genesis);

    public static AuditChainHead Of(AuditRecord record) => new(record.Sequence, record.Hash);

    public static AuditChainHead Of(AuditCheckpoint checkpoint) => new(checkpoint.Sequence, checkpoint.Hash);
}
