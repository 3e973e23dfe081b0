namespace Portal.Core.Sla;

/// <summary>A subject probed this tick: a replica or a serverless target, with why it failed.</summary>
public sealed record ProbeTickSubject(Guid Id, string Name, bool Ok, string? FailureDetail);

/// <summary>A dedicated target, judged by its replicas.</summary>
public sealed record ProbeTickTarget(Guid Id, string Name, IReadOnlyList<Guid> ReplicaIds);

/// <summary>A subject whose probe this tick counts: its verdict and the tracker state to save.</summary>
public sealed record CountedProbe(Guid SubjectId, bool Ok, string? FailureDetail, TargetProbeState State);

/// <summary>An incident to open (on the second consecutive failure) for a subject.</summary>
public sealed record IncidentToOpen(Guid SubjectId, DateTimeOffset StartedAt, string Title, string FirstEvent, string OpenedEvent);

/// <summary>A subject whose open incidents end now, and the event that says why.</summary>
public sealed record IncidentsToResolve(Guid SubjectId, string ResolvedEvent);

/// <summary>What one availability tick changes; the probe job applies it to the database.</summary>
public sealed record ProbeTickPlan(
    IReadOnlyList<CountedProbe> Counted,
    IReadOnlyList<IncidentToOpen> Opened,
    IReadOnlyList<IncidentsToResolve> Resolved,
    IReadOnlyList<Guid> Forgotten);

/// <summary>
/// One availability tick, decided: which probes count (one per subject and window), which incidents open and close,
/// how a dedicated target is judged (up when any replica answered), and which subjects left service (their open
/// incidents end — a replica stopped or a target no longer used is not down).
/// </summary>
public static class ProbeTick
{
    public static ProbeTickPlan Decide(
        TimeSpan interval,
        IEnumerable<TargetProbeState> saved,
        IReadOnlyList<ProbeTickSubject> subjects,
        IReadOnlyList<ProbeTickTarget> dedicatedTargets,
        DateTimeOffset now)
    {
        var savedStates = saved.ToList();
        var tracker = new IncidentTracker(interval, savedStates);
        var counted = new List<CountedProbe>();
        var opened = new List<IncidentToOpen>();
        var resolved = new List<IncidentsToResolve>();

        void Count(Guid id, string name, bool ok, string? detail)
        {
            var observation = tracker.Observe(new ProbeResult(id, now, ok));
            if (observation.Change == ProbeChange.Duplicate)
            {
                return; // This window is already counted for this subject.
            }

            counted.Add(new CountedProbe(id, ok, detail, tracker.States.Single(s => s.TargetId == id)));
            if (observation is { Change: ProbeChange.Opened, Incident: { } incident })
            {
                opened.Add(new IncidentToOpen(id, incident.Start, Title(name), "First failed probe.",
                    $"Opened after {IncidentTracker.FailuresToOpen} consecutive failed probes: {detail ?? "no detail"}"));
            }
            else if (observation.Change == ProbeChange.Closed)
            {
                resolved.Add(new IncidentsToResolve(id, "Resolved: the next probe succeeded."));
            }
        }

        foreach (var subject in subjects)
        {
            Count(subject.Id, subject.Name, subject.Ok, subject.Ok ? null : subject.FailureDetail);
        }

        foreach (var target in dedicatedTargets)
        {
            var (ok, detail) = Judge(target, subjects);
            Count(target.Id, $"endpoint target {target.Name}", ok, detail);
        }

        var current = subjects.Select(s => s.Id).Concat(dedicatedTargets.Select(t => t.Id)).ToHashSet();
        var forgotten = savedStates.Select(s => s.TargetId).Where(id => !current.Contains(id)).ToList();
        resolved.AddRange(forgotten.Select(id => new IncidentsToResolve(id, "Resolved: no longer in service (stopped, replaced or removed).")));
        return new ProbeTickPlan(counted, opened, resolved, forgotten);
    }

    /// <summary>A dedicated target is up when any of its replicas answered this tick.</summary>
    public static (bool Ok, string? Detail) Judge(ProbeTickTarget target, IReadOnlyList<ProbeTickSubject> subjects)
    {
        var own = subjects.Where(s => target.ReplicaIds.Contains(s.Id)).ToList();
        return own.Any(s => s.Ok) ? (true, null) : (false, $"None of its {own.Count} replica(s) answered.");
    }

    /// <summary>"Replica 3 of chat-small is down": the subject's name with a capital first letter.</summary>
    public static string Title(string name) => $"{char.ToUpperInvariant(name[0])}{name[1..]} is down";
}
