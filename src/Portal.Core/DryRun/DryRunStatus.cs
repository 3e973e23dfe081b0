namespace Portal.Core.DryRun;

/// <summary>Where a migration dry run is: queued, replaying, or finished one of three ways.</summary>
public enum DryRunStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

public static class DryRunStatuses
{
    public static bool IsFinished(this DryRunStatus status) => status is DryRunStatus.Succeeded or DryRunStatus.Failed or DryRunStatus.Cancelled;
}
