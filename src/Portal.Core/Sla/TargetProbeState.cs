namespace Portal.Core.Sla;

/// <summary>
/// What an <see cref="IncidentTracker"/> remembers per target, so a job can persist it and resume after a restart.
/// </summary>
/// <param name="LastWindowId">The latest <see cref="ProbeWindow"/> id counted.</param>
/// <param name="ConsecutiveFailures">Failures since the last success; 2 or more means an incident is open.</param>
/// <param name="FirstFailure">Time of the first of those failures; null when there are none.</param>
public sealed record TargetProbeState(Guid TargetId, long LastWindowId, int ConsecutiveFailures, DateTimeOffset? FirstFailure)
{
    /// <summary>The open incident, if any.</summary>
    public Incident? OpenIncident => ConsecutiveFailures >= IncidentTracker.FailuresToOpen ? new Incident(TargetId, FirstFailure!.Value, null) : null;
}
