namespace Portal.Core.DryRun;

/// <summary>Where a migration dry run is: queued, replaying, or finished one of four ways.</summary>
public enum DryRunStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,

    /// <summary>The portal running it stopped or died mid-run; its simulators were stopped, no report.</summary>
    Interrupted,
}

public static class DryRunStatuses
{
    public static bool IsFinished(this DryRunStatus status) => status is DryRunStatus.Succeeded or DryRunStatus.Failed or DryRunStatus.Cancelled or DryRunStatus.Interrupted;
}
