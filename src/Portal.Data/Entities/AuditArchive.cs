namespace Portal.Data.Entities;

/// <summary>
/// One signed archive file of the retention archive: a chain's records from <see cref="FirstSequence"/> to
/// <see cref="LastSequence"/>, written before they may leave the live table. Its <see cref="LastHash"/> is the hash the
/// first live record of the chain links to.
/// </summary>
public sealed class AuditArchive
{
    public long Id { get; set; }
    public required string Chain { get; set; }

    /// <summary>The tenant whose chain it is; null for the platform's.</summary>
    public Guid? TenantId { get; set; }

    public long FirstSequence { get; set; }
    public long LastSequence { get; set; }
    public required string LastHash { get; set; }
    public long RecordCount { get; set; }

    /// <summary>The file's name under <c>Audit:ArchiveDirectory</c>.</summary>
    public required string FileName { get; set; }

    /// <summary>SHA-256 of the file's bytes, lower-case hex.</summary>
    public required string FileSha256 { get; set; }

    /// <summary>The month the records were sealed in (its first moment, UTC).</summary>
    public DateTimeOffset PeriodFrom { get; set; }

    /// <summary>The end of that month, or of the retention, whichever came first.</summary>
    public DateTimeOffset PeriodTo { get; set; }

    public DateTimeOffset ArchivedAt { get; set; }
}
