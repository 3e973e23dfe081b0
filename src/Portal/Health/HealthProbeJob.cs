using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Latency;
using Portal.Core.Sla;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Hosting;
using Portal.Inference;

namespace Portal.Health;

/// <summary>
/// The probe ticks. One recurring job probes every subject in parallel (bounded), so thousands of targets are one job
/// per tick, not thousands. A distributed lock makes a second portal instance skip a tick the first is running; the
/// unique (subject, kind, window) key and the saved tracker state make a tick that runs again for the same window —
/// after a restart, or twice — change nothing.
/// </summary>
public sealed class HealthProbeJob(
    IDbContextFactory<PortalDbContext> dbFactory,
    ProbeSubjects subjectsLoader,
    ProbeClient probes,
    IncidentAlerts alerts,
    ErrorBudgetBurns burns,
    IOptions<HealthOptions> options,
    JobStorage jobStorage,
    GatewaySnapshot snapshot,
    TimeProvider clock,
    ILogger<HealthProbeJob> logger)
{
    public const string AvailabilityJobId = "health-probe-availability";
    public const string TtftJobId = "health-probe-ttft";

    /// <summary>A subject's probes of this tick and its verdict; <see cref="Detail"/> says why it failed.</summary>
    private sealed record SubjectResult(ProbeSubject Subject, bool Ok, ProbeOutcome? Liveness, ProbeOutcome Readiness)
    {
        public string? Detail { get; init; } = Ok ? null : Liveness is { Ok: false } l ? l.Detail : Readiness.Detail;
    }

    [AutomaticRetry(Attempts = 0)]
    public Task ProbeAvailabilityAsync(CancellationToken cancellationToken) =>
        // Another instance probing this tick: skip.
        OneInstanceAtATime.RunAsync(jobStorage, "health:probe:availability", () => ProbeAvailabilityAtAsync(clock.GetUtcNow(), cancellationToken));

    /// <summary>
    /// One availability tick as of <paramref name="now"/>: probe every subject, judge each serverless target's window by
    /// its probe and by the production requests the gateway sent it since the last tick (<see cref="PassiveErrorRule"/>),
    /// let <see cref="ProbeTick"/> decide what counts and which incidents open and close, and write that down in one save.
    /// </summary>
    public async Task ProbeAvailabilityAtAsync(DateTimeOffset now, CancellationToken ct)
    {
        var settings = options.Value;
        ProbePlan probePlan;
        await using (var read = await dbFactory.CreateDbContextAsync(ct))
        {
            probePlan = await subjectsLoader.LoadAsync(read, ct);
        }

        var probed = await ProbeAllAsync(probePlan.Subjects, settings, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var passive = await PassiveVerdictsAsync(db, probed, now, settings, ct);
        var results = probed.Select(r =>
        {
            if (!passive.TryGetValue(r.Subject.Id, out var verdict))
            {
                return r;
            }

            var (ok, detail) = PassiveErrorRule.Window(r.Ok, r.Detail, verdict);
            return r with { Ok = ok, Detail = detail };
        }).ToList();
        var states = await db.ProbeSubjectStates.ToDictionaryAsync(s => s.SubjectId, ct);
        var plan = ProbeTick.Decide(settings.Interval,
            states.Values.Select(s => new TargetProbeState(s.SubjectId, s.LastWindowId, s.ConsecutiveFailures, s.FirstFailure)),
            results.Select(r => new ProbeTickSubject(r.Subject.Id, r.Subject.Name, r.Ok, r.Detail)).ToList(),
            probePlan.DedicatedTargets.Select(t => new ProbeTickTarget(t.Id, t.Name, t.ReplicaIds)).ToList(),
            now);

        var owners = results.ToDictionary(r => r.Subject.Id, r => (r.Subject.TenantId, r.Subject.TargetId, r.Subject.Scope));
        foreach (var target in probePlan.DedicatedTargets)
        {
            owners[target.Id] = (target.TenantId, target.Id, IncidentScope.Target);
        }

        var window = ProbeWindow.Id(now, settings.Interval);
        var windowStart = ProbeWindow.Start(window, settings.Interval);
        var bySubject = results.ToDictionary(r => r.Subject.Id);
        foreach (var counted in plan.Counted)
        {
            var (tenantId, targetId, _) = owners[counted.SubjectId];
            db.ProbeRecords.AddRange(bySubject.TryGetValue(counted.SubjectId, out var result)
                ? RecordsOf(result, window, windowStart, now)
                : [Record(counted.SubjectId, tenantId, targetId, ProbeKind.Availability, window, windowStart, now,
                    new ProbeOutcome(counted.Ok, null, counted.FailureDetail))]);
            if (!states.TryGetValue(counted.SubjectId, out var state))
            {
                state = new ProbeSubjectState { SubjectId = counted.SubjectId, TenantId = tenantId, TargetId = targetId };
                db.ProbeSubjectStates.Add(state);
            }

            (state.LastWindowId, state.ConsecutiveFailures, state.FirstFailure, state.LastProbeAt, state.LastOk) =
                (counted.State.LastWindowId, counted.State.ConsecutiveFailures, counted.State.FirstFailure, now, counted.Ok);
        }

        var opened = new List<IncidentRecord>();
        foreach (var incident in plan.Opened)
        {
            var (tenantId, targetId, scope) = owners[incident.SubjectId];
            var record = new IncidentRecord
            {
                TenantId = tenantId, SubjectId = incident.SubjectId, TargetId = targetId, Scope = scope, StartedAt = incident.StartedAt,
                Title = incident.Title,
                AffectedEndpoints = string.Join(", ", await db.Endpoints.Where(e => e.PrimaryTargetId == targetId || e.SecondaryTargetId == targetId)
                    .OrderBy(e => e.Name).Select(e => e.Name).ToListAsync(ct)),
            };
            // The first failure was counted a tick ago; its record says what was seen then (a probe's error, or passive evidence).
            var first = scope == IncidentScope.Target
                ? await db.ProbeRecords.Where(p => p.SubjectId == incident.SubjectId && p.Kind == ProbeKind.Availability && p.At == incident.StartedAt)
                    .Select(p => p.Detail).FirstOrDefaultAsync(ct)
                : null;
            record.Events.Add(Event(incident.StartedAt, "probe.failed", first is null ? incident.FirstEvent : $"First failed window: {first}"));
            record.Events.Add(Event(now, "incident.opened", incident.OpenedEvent));
            db.Incidents.Add(record);
            opened.Add(record);
        }

        var closed = new List<IncidentRecord>();
        foreach (var resolution in plan.Resolved)
        {
            foreach (var open in await db.Incidents.Include(i => i.Events).Where(i => i.SubjectId == resolution.SubjectId && i.EndedAt == null).ToListAsync(ct))
            {
                open.EndedAt = now;
                open.Events.Add(Event(now, "incident.resolved", resolution.ResolvedEvent));
                closed.Add(open);
            }
        }

        foreach (var gone in plan.Forgotten)
        {
            db.ProbeSubjectStates.Remove(states[gone]);
            logger.LogInformation("Probe subject {Subject} is no longer in service; its probe state is dropped.", gone);
        }

        await db.SaveChangesAsync(ct);
        alerts.Enqueue(opened, "incident.opened");
        alerts.Enqueue(closed, "incident.resolved");
        // The windows just counted may start (or end) an endpoint's uptime budget burn.
        await burns.EvaluateAsync(now, ct);

        // Route around a failing replica now, not at the next routing refresh.
        await snapshot.RefreshAsync(ct);
    }

    /// <summary>A subject's records of one window: liveness and readiness as probed, and availability for a target.</summary>
    private static List<ProbeRecord> RecordsOf(SubjectResult result, long window, DateTimeOffset windowStart, DateTimeOffset now)
    {
        var s = result.Subject;
        var records = new List<ProbeRecord>();
        if (result.Liveness is { } live)
        {
            records.Add(Record(s.Id, s.TenantId, s.TargetId, ProbeKind.Liveness, window, windowStart, now, live));
        }

        records.Add(Record(s.Id, s.TenantId, s.TargetId, ProbeKind.Readiness, window, windowStart, now, result.Readiness));
        if (s.Scope == IncidentScope.Target)
        {
            records.Add(Record(s.Id, s.TenantId, s.TargetId, ProbeKind.Availability, window, windowStart, now,
                new ProbeOutcome(result.Ok, result.Readiness.LatencyMs, result.Detail ?? result.Readiness.Detail)));
        }

        return records;
    }

    [AutomaticRetry(Attempts = 0)]
    public Task ProbeTtftAsync(CancellationToken cancellationToken) =>
        OneInstanceAtATime.RunAsync(jobStorage, "health:probe:ttft", () => ProbeTtftNowAsync(cancellationToken));

    private async Task ProbeTtftNowAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var interval = TimeSpan.FromSeconds(settings.TtftProbeInterval);
        var window = ProbeWindow.Id(now, interval);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var plan = await subjectsLoader.LoadAsync(db, cancellationToken);
        var seen = (await db.ProbeRecords.Where(p => p.Kind == ProbeKind.Ttft && p.WindowId == window).Select(p => p.SubjectId)
            .ToListAsync(cancellationToken)).ToHashSet();
        var subjects = plan.Subjects.Where(s => s is { TtftProbe: true, ChatUri: not null, Model: not null } && !seen.Contains(s.Id)).ToList();
        var rule = ColdStartRule.Default;
        using var gate = new SemaphoreSlim(Math.Max(1, settings.ProbeConcurrency));
        var outcomes = await Task.WhenAll(subjects.Select(async subject =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                return (subject, await probes.TtftAsync(subject.ChatUri!, subject.Model!, subject.ApiKey, TimeSpan.FromSeconds(settings.TtftProbeTimeout),
                    cancellationToken, subject.TenantGiven));
            }
            finally
            {
                gate.Release();
            }
        }));

        foreach (var (subject, outcome) in outcomes)
        {
            db.ProbeRecords.Add(new ProbeRecord
            {
                TenantId = subject.TenantId, SubjectId = subject.Id, TargetId = subject.TargetId, Kind = ProbeKind.Ttft, WindowId = window,
                WindowStart = ProbeWindow.Start(window, interval), At = now, Ok = outcome.Ok, TtftMs = outcome.TtftMs,
                // A probe that never saw a token within its timeout waited longer than any cold-start threshold too.
                ColdStart = outcome.TtftMs is { } ttft ? rule.IsColdStart(ttft) : outcome.Detail?.StartsWith("No token", StringComparison.Ordinal) == true,
                Detail = Trim(outcome.Detail),
            });
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// What each serverless target's production requests since the last tick say: those the gateway sent it, counted by
    /// status, error code and whether an upstream was tried. Shadow copies are not production; probes never pass the
    /// gateway. Dedicated targets are judged by their replicas' probes alone.
    /// </summary>
    private static async Task<Dictionary<Guid, PassiveVerdict>> PassiveVerdictsAsync(
        PortalDbContext db, IReadOnlyList<SubjectResult> results, DateTimeOffset now, HealthOptions settings, CancellationToken ct)
    {
        var serverless = results.Select(r => r.Subject).Where(s => s.Scope == IncidentScope.Target).ToList();
        if (serverless.Count == 0)
        {
            return [];
        }

        var targetIds = serverless.Select(s => (Guid?)s.TargetId).ToList();
        var (from, to) = PassiveErrorRule.Range(now, settings.Interval);
        var seen = (await db.RequestSamples.AsNoTracking()
                .Where(s => targetIds.Contains(s.TargetId) && !s.Shadow && s.Timestamp >= from && s.Timestamp < to)
                .GroupBy(s => new { s.TenantId, s.TargetId, s.StatusCode, s.ErrorCode, Attempted = s.Attempts > 0 })
                .Select(g => new { g.Key.TenantId, g.Key.TargetId, g.Key.StatusCode, g.Key.ErrorCode, g.Key.Attempted, Count = g.Count() })
                .ToListAsync(ct))
            .ToLookup(g => (g.TenantId, g.TargetId));
        return serverless.ToDictionary(s => s.Id, s => PassiveErrorRule.Judge(
            seen[(s.TenantId, (Guid?)s.TargetId)].Select(g => new ProductionRequests(g.StatusCode, g.ErrorCode, g.Attempted, g.Count)),
            settings.PassiveErrorMinRequests, settings.PassiveErrorPercent));
    }

    private async Task<IReadOnlyList<SubjectResult>> ProbeAllAsync(IReadOnlyList<ProbeSubject> subjects, HealthOptions settings, CancellationToken ct)
    {
        using var gate = new SemaphoreSlim(Math.Max(1, settings.ProbeConcurrency));
        return await Task.WhenAll(subjects.Select(async subject =>
        {
            await gate.WaitAsync(ct);
            try
            {
                if (subject.ModelsUri is null)
                {
                    var none = new ProbeOutcome(false, null, "No address: the replica is being restarted.");
                    return new SubjectResult(subject, false, none, none);
                }

                ProbeOutcome? live = null;
                if (subject.LivenessBase is { } liveness)
                {
                    live = await probes.LivenessAsync(liveness, subject.ApiKey, settings.Timeout, ct);
                }

                var ready = await probes.ReadinessAsync(subject.ModelsUri, subject.Model, subject.ApiKey, settings.Timeout, ct, subject.TenantGiven);
                return new SubjectResult(subject, live is not { Ok: false } && ready.Ok, live, ready);
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    private static ProbeRecord Record(Guid subject, Guid tenant, Guid target, ProbeKind kind, long window, DateTimeOffset windowStart,
        DateTimeOffset now, ProbeOutcome outcome) => new()
    {
        TenantId = tenant, SubjectId = subject, TargetId = target, Kind = kind, WindowId = window, WindowStart = windowStart, At = now,
        Ok = outcome.Ok, LatencyMs = outcome.LatencyMs, Detail = Trim(outcome.Detail),
    };

    private static IncidentEvent Event(DateTimeOffset at, string kind, string message) =>
        new() { At = at, Kind = kind, Message = message.Length > 1000 ? message[..1000] : message };

    private static string? Trim(string? detail) => detail is { Length: > 500 } ? detail[..500] : detail;
}
