using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Sla;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Identity;
using Portal.Tenancy;

namespace Portal.Health;

/// <summary>
/// Health, incidents and the SLA as a tenant (or support during a look-in) reads them. An endpoint's SLA counts its
/// primary target's availability per probe window, through the Core calculator; maintenance windows are excluded there.
/// Beside it stands the endpoint's TTFT objective, when one is set, measured now over its own rolling window.
/// </summary>
public sealed class SlaService(IDbContextFactory<PortalDbContext> dbFactory, IOptions<HealthOptions> options, TimeProvider clock)
{
    public async Task<ServiceResult<IReadOnlyList<EndpointSlaView>>> ListAsync(Caller caller, Guid tenantId, SlaMonth? month, CancellationToken ct = default)
    {
        if (caller.In(tenantId) is null)
        {
            return ServiceResult<IReadOnlyList<EndpointSlaView>>.NotFound("No such tenant.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return ServiceResult<IReadOnlyList<EndpointSlaView>>.Ok(await ComputeAsync(db, [tenantId], month, null, ct));
    }

    public async Task<ServiceResult<EndpointSlaDetail>> GetAsync(Caller caller, Guid tenantId, Guid endpointId, SlaMonth? month, CancellationToken ct = default)
    {
        if (caller.In(tenantId) is null)
        {
            return ServiceResult<EndpointSlaDetail>.NotFound("No such tenant.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var sla = (await ComputeAsync(db, [tenantId], month, endpointId, ct)).SingleOrDefault();
        if (sla is null)
        {
            return ServiceResult<EndpointSlaDetail>.NotFound("No such endpoint.");
        }

        var endpoint = await db.Endpoints.AsNoTracking().SingleAsync(e => e.Id == endpointId, ct);
        var targets = new[] { endpoint.PrimaryTargetId, endpoint.SecondaryTargetId ?? Guid.Empty };
        var incidents = await db.Incidents.AsNoTracking().Include(i => i.Events)
            .Where(i => i.TenantId == tenantId && (targets.Contains(i.TargetId) || i.SubjectId == endpointId))
            .OrderByDescending(i => i.StartedAt).Take(50).ToListAsync(ct);
        var coldStarts = await db.ProbeRecords.AsNoTracking()
            .Where(p => p.TargetId == endpoint.PrimaryTargetId && p.Kind == ProbeKind.Ttft && p.ColdStart)
            .OrderByDescending(p => p.At).Take(20).Select(p => new ColdStartProbeView(p.At, p.TtftMs, p.Detail)).ToListAsync(ct);
        return ServiceResult<EndpointSlaDetail>.Ok(new EndpointSlaDetail(sla, incidents.Select(ToView).ToList(), coldStarts));
    }

    public async Task<ServiceResult<IReadOnlyList<IncidentView>>> IncidentsAsync(Caller caller, Guid tenantId, bool openOnly, CancellationToken ct = default)
    {
        if (caller.In(tenantId) is null)
        {
            return ServiceResult<IReadOnlyList<IncidentView>>.NotFound("No such tenant.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var incidents = await db.Incidents.AsNoTracking().Include(i => i.Events)
            .Where(i => i.TenantId == tenantId && (!openOnly || i.EndedAt == null))
            .OrderByDescending(i => i.StartedAt).Take(200).ToListAsync(ct);
        return ServiceResult<IReadOnlyList<IncidentView>>.Ok(incidents.Select(ToView).ToList());
    }

    public async Task<ServiceResult<IncidentView>> IncidentAsync(Caller caller, Guid tenantId, Guid id, CancellationToken ct = default)
    {
        if (caller.In(tenantId) is null)
        {
            return ServiceResult<IncidentView>.NotFound("No such tenant.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var incident = await db.Incidents.AsNoTracking().Include(i => i.Events).SingleOrDefaultAsync(i => i.Id == id && i.TenantId == tenantId, ct);
        return incident is null ? ServiceResult<IncidentView>.NotFound("No such incident.") : ServiceResult<IncidentView>.Ok(ToView(incident));
    }

    /// <summary>Open incidents of a tenant, for the alert in the portal's layout.</summary>
    public async Task<int> OpenIncidentCountAsync(Guid tenantId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Incidents.CountAsync(i => i.TenantId == tenantId && i.EndedAt == null, ct);
    }

    /// <summary>Every tenant's endpoints for support staff: health, open incidents, SLA risk.</summary>
    public async Task<ServiceResult<IReadOnlyList<FleetEndpointView>>> FleetAsync(Caller caller, CancellationToken ct = default)
    {
        if (!caller.IsSupport)
        {
            return ServiceResult<IReadOnlyList<FleetEndpointView>>.Forbidden("Only platform support staff see the fleet.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var tenants = await db.Tenants.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, ct);
        var views = await ComputeAsync(db, tenants.Keys.ToList(), null, null, ct);
        var tenantOf = await db.Endpoints.AsNoTracking().ToDictionaryAsync(e => e.Id, e => e.TenantId, ct);
        return ServiceResult<IReadOnlyList<FleetEndpointView>>.Ok(views
            .Select(v => new FleetEndpointView(tenantOf[v.EndpointId], tenants[tenantOf[v.EndpointId]], v.EndpointId, v.Endpoint, v.Up, v.OpenIncidents,
                v.UptimePercent, v.BudgetLeftMinutes, v.Risk))
            .OrderByDescending(v => v.Risk).ThenByDescending(v => v.OpenIncidents).ThenBy(v => v.Tenant).ThenBy(v => v.Endpoint).ToList());
    }

    private Task<List<EndpointSlaView>> ComputeAsync(PortalDbContext db, IReadOnlyCollection<Guid> tenantIds, SlaMonth? requested, Guid? onlyEndpoint,
        CancellationToken ct) =>
        ComputeAtAsync(db, tenantIds, requested, onlyEndpoint, clock.GetUtcNow(), withLatency: true, ct);

    /// <summary>
    /// The endpoints' SLA of <paramref name="requested"/> (default: the month of <paramref name="now"/>) as of
    /// <paramref name="now"/>; without <paramref name="withLatency"/> the TTFT objectives are not measured (the probe
    /// job's burn check needs only the uptime, every tick).
    /// </summary>
    internal async Task<List<EndpointSlaView>> ComputeAtAsync(PortalDbContext db, IReadOnlyCollection<Guid> tenantIds, SlaMonth? requested,
        Guid? onlyEndpoint, DateTimeOffset now, bool withLatency, CancellationToken ct)
    {
        var settings = options.Value;
        var sla = settings.Sla;
        var month = requested ?? SlaMonth.Containing(now);
        // A run of failures that began shortly before the month still opens an incident inside it.
        var from = month.Start - sla.ProbeInterval * 10;
        var to = month.End < now ? month.End : now;
        var endpoints = await db.Endpoints.AsNoTracking()
            .Where(e => tenantIds.Contains(e.TenantId) && (onlyEndpoint == null || e.Id == onlyEndpoint)).OrderBy(e => e.Name).ToListAsync(ct);
        var targetIds = endpoints.Select(e => e.PrimaryTargetId).ToList();
        var probes = (await db.ProbeRecords.AsNoTracking()
                .Where(p => targetIds.Contains(p.TargetId) && p.SubjectId == p.TargetId && p.Kind == ProbeKind.Availability && p.At >= from && p.At < to)
                .Select(p => new { p.TargetId, p.At, p.Ok }).ToListAsync(ct))
            .ToLookup(p => p.TargetId);
        var endpointIds = endpoints.Select(e => e.Id).ToList();
        var windows = (await db.MaintenanceWindows.AsNoTracking()
                .Where(w => endpointIds.Contains(w.EndpointId) && w.EndsAt > month.Start && w.StartsAt < month.End).OrderBy(w => w.StartsAt).ToListAsync(ct))
            .ToLookup(w => w.EndpointId);
        var states = await db.ProbeSubjectStates.AsNoTracking().Where(s => targetIds.Contains(s.SubjectId)).ToDictionaryAsync(s => s.SubjectId, ct);
        var open = (await db.Incidents.AsNoTracking().Where(i => i.EndedAt == null && targetIds.Contains(i.TargetId)).Select(i => i.TargetId).ToListAsync(ct))
            .GroupBy(t => t).ToDictionary(g => g.Key, g => g.Count());

        var objectives = withLatency ? await db.LatencyObjectives.AsNoTracking().Where(o => endpointIds.Contains(o.EndpointId)).ToListAsync(ct) : [];
        var latency = new Dictionary<Guid, LatencyObjectiveView>();
        foreach (var setting in objectives)
        {
            var name = endpoints.Single(e => e.Id == setting.EndpointId).Name;
            latency[setting.EndpointId] = LatencyObjectiveService.ToView(name, setting,
                await LatencyObjectiveMeasure.EvaluateAsync(db, setting.TenantId, setting.EndpointId, LatencyObjectiveService.ToObjective(setting), now, ct));
        }

        return endpoints.Select(endpoint =>
        {
            var results = probes[endpoint.PrimaryTargetId].Select(p => new ProbeResult(p.TargetId, p.At, p.Ok)).ToList();
            var maintenance = windows[endpoint.Id].ToList();
            var uptime = SlaCalculator.Monthly(month, results, maintenance.Select(w => new UtcInterval(w.StartsAt, w.EndsAt)), sla, now);
            var budget = ErrorBudget.For(uptime, sla, now);
            return new EndpointSlaView(endpoint.Id, endpoint.Name, month.ToString(), sla.TargetUptimePercent, uptime.UptimePercent, uptime.DownMinutes,
                budget.AllowedMinutes, budget.LeftMinutes, budget.BurnRate, SlaRiskRule.Of(budget), sla.TierFor(uptime.UptimePercent),
                results.Count(r => r.Time >= month.Start), states.GetValueOrDefault(endpoint.PrimaryTargetId)?.LastOk ?? true,
                open.GetValueOrDefault(endpoint.PrimaryTargetId) + (endpoint.SecondaryTargetId is { } s ? open.GetValueOrDefault(s) : 0),
                maintenance.Select(MaintenanceService.ToView).ToList(), latency.GetValueOrDefault(endpoint.Id));
        }).ToList();
    }

    internal static IncidentView ToView(IncidentRecord i) => new(i.Id, i.Scope.ToString(), i.Title,
        i.AffectedEndpoints.Split(", ", StringSplitOptions.RemoveEmptyEntries), i.StartedAt, i.EndedAt, i.EndedAt is null,
        i.Events.OrderBy(e => e.At).ThenBy(e => e.Id).Select(e => new IncidentEventView(e.At, e.Kind, e.Message)).ToList());
}
