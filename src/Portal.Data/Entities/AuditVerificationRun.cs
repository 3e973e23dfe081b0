namespace Portal.Data.Entities;

/// <summary>One run of the chain verification: what the Audit page and the alarm show.</summary>
public sealed class AuditVerificationRun
{
    public long Id { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset FinishedAt { get; set; }
    public bool Full { get; set; }
    public bool IsValid { get; set; }
    public long RecordsVerified { get; set; }
    public long VerifiedUpTo { get; set; }
    public long AnchoredUpTo { get; set; }
    public long? FirstBadSequence { get; set; }
    public string? Problem { get; set; }
    public required string Message { get; set; }
}
