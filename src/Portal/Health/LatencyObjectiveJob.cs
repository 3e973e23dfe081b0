using Hangfire;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Sla;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Hosting;
using Portal.Notifications;

namespace Portal.Health;

/// <summary>
/// Every minute: measures each endpoint that has a TTFT objective and opens or resolves its latency incident
/// (<see cref="LatencyIncidentRule"/>). Incidents travel the same alert path as probe incidents: the timeline, the
/// open-incident banner and the tenant's signed webhooks. Deciding from the open incidents makes a re-run change nothing.
/// </summary>
public sealed class LatencyObjectiveJob(
    IDbContextFactory<PortalDbContext> dbFactory, IncidentAlerts alerts, TenantNotices notices, JobStorage jobStorage, TimeProvider clock)
{
    public const string JobId = "latency-objectives";

    [AutomaticRetry(Attempts = 0)]
    public Task EvaluateAsync(CancellationToken cancellationToken) =>
        // Another instance evaluating this minute: skip.
        OneInstanceAtATime.RunAsync(jobStorage, "health:latency-objectives", () => EvaluateAtAsync(clock.GetUtcNow(), cancellationToken));

    /// <summary>One evaluation as of <paramref name="now"/>, written in one save; alerts are sent after it.</summary>
    public async Task EvaluateAtAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var objectives = await db.LatencyObjectives.AsNoTracking()
            .Join(db.Endpoints.AsNoTracking(), o => o.EndpointId, e => e.Id, (o, e) => new { Setting = o, Endpoint = e })
            .ToListAsync(ct);
        var open = (await db.Incidents.Include(i => i.Events).Where(i => i.Scope == IncidentScope.Latency && i.EndedAt == null).ToListAsync(ct))
            .ToLookup(i => i.SubjectId);
        var opened = new List<IncidentRecord>();
        var burns = new List<TenantNotice>();
        var resolved = new List<IncidentRecord>();
        foreach (var item in objectives)
        {
            var (setting, endpoint) = (item.Setting, item.Endpoint);
            var objective = LatencyObjectiveService.ToObjective(setting);
            var compliance = await LatencyObjectiveMeasure.EvaluateAsync(db, setting.TenantId, endpoint.Id, objective, now, ct);
            switch (LatencyIncidentRule.Decide(compliance, open[endpoint.Id].Any()))
            {
                case LatencyIncidentAction.Open:
                    var incident = new IncidentRecord
                    {
                        TenantId = setting.TenantId, SubjectId = endpoint.Id, TargetId = endpoint.PrimaryTargetId, Scope = IncidentScope.Latency,
                        StartedAt = now, Title = LatencyIncidentRule.Title(endpoint.Name, objective), AffectedEndpoints = endpoint.Name,
                    };
                    incident.Events.Add(Event(now, "incident.opened", LatencyIncidentRule.Describe(compliance)));
                    db.Incidents.Add(incident);
                    opened.Add(incident);
                    // The latency budget's burn episode is the incident's life: told once, when it opens.
                    burns.Add(new TenantNotice(setting.TenantId, TenantNoticeKind.ErrorBudgetBurn, $"budget.burn:latency:{incident.Id:n}",
                        $"{endpoint.Name}: latency budget burning ({objective})", LatencyIncidentRule.Describe(compliance), now)
                    {
                        Link = $"/health/{endpoint.Id}",
                        Data = new { endpointId = endpoint.Id, endpoint = endpoint.Name, objective = objective.ToString(), incidentId = incident.Id },
                    });
                    break;
                case LatencyIncidentAction.Resolve:
                    resolved.AddRange(Resolve(open[endpoint.Id], now, LatencyIncidentRule.Describe(compliance)));
                    break;
            }
        }

        // An objective removed (or its endpoint gone) while breached leaves nothing to breach.
        var measured = objectives.Select(o => o.Endpoint.Id).ToHashSet();
        foreach (var orphan in open.Where(group => !measured.Contains(group.Key)))
        {
            resolved.AddRange(Resolve(orphan, now, "The endpoint no longer has a TTFT objective."));
        }

        await db.SaveChangesAsync(ct);
        alerts.Enqueue(opened, "incident.opened");
        alerts.Enqueue(resolved, "incident.resolved");
        foreach (var burn in burns)
        {
            notices.Publish(burn);
        }
    }

    private static IEnumerable<IncidentRecord> Resolve(IEnumerable<IncidentRecord> incidents, DateTimeOffset now, string message)
    {
        foreach (var incident in incidents)
        {
            incident.EndedAt = now;
            incident.Events.Add(Event(now, "incident.resolved", message));
            yield return incident;
        }
    }

    private static IncidentEvent Event(DateTimeOffset at, string kind, string message) =>
        new() { At = at, Kind = kind, Message = message.Length > 1000 ? message[..1000] : message };
}
