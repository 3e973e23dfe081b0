using Portal.Core.DryRun;

namespace Portal.Data.Entities;

/// <summary>
/// One migration dry run of an endpoint: the recorded window it replays, the compression, the candidates (JSON), its
/// progress while it runs and its report (JSON) once finished.
/// </summary>
public sealed class DryRunRow : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TenantId { get; set; }
    public Guid EndpointId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset WindowFrom { get; set; }
    public DateTimeOffset WindowTo { get; set; }
    public double Compression { get; set; }
    public DryRunStatus Status { get; set; }

    /// <summary>Share of the schedule sent so far over all candidates, 0–1.</summary>
    public double Progress { get; set; }

    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>When the replay is expected to end, from the schedule's remaining length.</summary>
    public DateTimeOffset? ExpectedEndAt { get; set; }

    public bool CancelRequested { get; set; }
    public required string CandidatesJson { get; set; }
    public string? ReportJson { get; set; }
    public string? Error { get; set; }
}
