namespace Portal.Core.Sla;

/// <summary>
/// Opens and closes incidents from probe results fed in time order: an incident opens on the second consecutive
/// failure (starting at the first failure's time) and closes on the next success; a single failure is not downtime.
/// Idempotent per probe window: a result for a (target, <see cref="ProbeWindow"/>) already counted — or an earlier
/// window — is ignored, so re-running the job over the same results changes nothing.
/// </summary>
public sealed class IncidentTracker
{
    /// <summary>Consecutive failures that make an incident.</summary>
    public const int FailuresToOpen = 2;

    private readonly TimeSpan _probeInterval;
    private readonly Dictionary<Guid, TargetProbeState> _states = [];

    /// <param name="probeInterval">The probe interval that defines probe windows (default configuration: 30 s).</param>
    /// <param name="state">State saved from <see cref="States"/> to resume from.</param>
    public IncidentTracker(TimeSpan probeInterval, IEnumerable<TargetProbeState>? state = null)
    {
        ProbeWindow.EnsureInterval(probeInterval);
        _probeInterval = probeInterval;
        foreach (var target in state ?? [])
        {
            if (target.ConsecutiveFailures < 0 || (target.ConsecutiveFailures > 0) != target.FirstFailure.HasValue)
            {
                throw new ArgumentException($"Probe state of target {target.TargetId} is inconsistent.", nameof(state));
            }

            _states[target.TargetId] = target;
        }
    }

    /// <summary>Current state per target, to persist.</summary>
    public IReadOnlyCollection<TargetProbeState> States => _states.Values;

    /// <summary>Incidents open now.</summary>
    public IEnumerable<Incident> OpenIncidents => _states.Values.Select(state => state.OpenIncident).OfType<Incident>();

    /// <summary>Counts one probe result and reports what it changed.</summary>
    public ProbeObservation Observe(ProbeResult probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var window = ProbeWindow.Id(probe.Time, _probeInterval);
        _states.TryGetValue(probe.TargetId, out var state);
        if (state is not null && window <= state.LastWindowId)
        {
            return new ProbeObservation(ProbeChange.Duplicate, state.OpenIncident);
        }

        var failures = state?.ConsecutiveFailures ?? 0;
        var firstFailure = state?.FirstFailure;
        if (probe.Success)
        {
            _states[probe.TargetId] = new TargetProbeState(probe.TargetId, window, 0, null);
            return failures >= FailuresToOpen
                ? new ProbeObservation(ProbeChange.Closed, new Incident(probe.TargetId, firstFailure!.Value, probe.Time))
                : new ProbeObservation(ProbeChange.None, null);
        }

        var next = new TargetProbeState(probe.TargetId, window, failures + 1, firstFailure ?? probe.Time);
        _states[probe.TargetId] = next;
        return new ProbeObservation(next.ConsecutiveFailures == FailuresToOpen ? ProbeChange.Opened : ProbeChange.None, next.OpenIncident);
    }
}
