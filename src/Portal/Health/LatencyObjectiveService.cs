using Microsoft.EntityFrameworkCore;
using Portal.Core.Sla;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Identity;
using Portal.Tenancy;

namespace Portal.Health;

/// <summary>
/// Endpoints' TTFT objectives: set by a TenantAdmin (audited), read by every member, measured against the endpoint's
/// production traffic by <see cref="LatencyObjectiveCheck"/>.
/// </summary>
public sealed class LatencyObjectiveService(IDbContextFactory<PortalDbContext> dbFactory, TenantChangeRunner changes, TimeProvider clock)
{
    private static readonly ChangePermission Permission = new(AccessPolicy.CanSetLatencyObjective, "Only admins set an endpoint's TTFT objective");

    public async Task<ServiceResult<LatencyObjectiveView>> GetAsync(Caller caller, Guid tenantId, Guid endpointId, CancellationToken ct = default)
    {
        if (caller.In(tenantId) is null)
        {
            return ServiceResult<LatencyObjectiveView>.NotFound("No such tenant.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Endpoints.AsNoTracking().SingleOrDefaultAsync(e => e.Id == endpointId && e.TenantId == tenantId, ct) is not { } endpoint)
        {
            return ServiceResult<LatencyObjectiveView>.NotFound("No such endpoint.");
        }

        var setting = await db.LatencyObjectives.AsNoTracking().SingleOrDefaultAsync(o => o.EndpointId == endpointId && o.TenantId == tenantId, ct);
        return setting is null
            ? ServiceResult<LatencyObjectiveView>.NotFound($"Endpoint {endpoint.Name} has no TTFT objective.")
            : ServiceResult<LatencyObjectiveView>.Ok(ToView(endpoint.Name, setting,
                await LatencyObjectiveMeasure.EvaluateAsync(db, tenantId, endpointId, ToObjective(setting), clock.GetUtcNow(), ct)));
    }

    public Task<ServiceResult<LatencyObjectiveView>> SetAsync(Caller caller, Guid tenantId, Guid endpointId, LatencyObjectiveRequest request,
        CancellationToken ct = default)
    {
        var (threshold, percentile, window) = (request.ThresholdMs, request.Percentile ?? 99, request.WindowDays ?? 30);
        var errors = LatencyObjective.Validate(threshold, percentile, window);
        var change = new TenantChange(caller, tenantId, Permission, "latency_objective.set", "endpoint", endpointId.ToString())
        {
            InputErrors = errors.Count > 0 ? errors : null,
            // Two first settings at once: the loser's insert fails on the key, and its second try updates the winner's row.
            Attempts = 2,
        };
        return changes.RunAsync(change, endpoints => endpoints.Where(e => e.Id == endpointId), "No such endpoint.",
            async (InferenceEndpoint endpoint, PortalDbContext db) =>
            {
                var objective = LatencyObjective.From(threshold, percentile, window);
                var setting = await db.LatencyObjectives.SingleOrDefaultAsync(o => o.EndpointId == endpoint.Id, ct);
                var before = setting is null ? null : ToObjective(setting).ToString();
                if (setting is not null && ToObjective(setting) == objective)
                {
                    return ChangeOutcome.Unchanged(ToView(endpoint.Name, setting,
                        await LatencyObjectiveMeasure.EvaluateAsync(db, tenantId, endpoint.Id, objective, clock.GetUtcNow(), ct)));
                }

                if (setting is null)
                {
                    setting = new LatencyObjectiveSetting { EndpointId = endpoint.Id, TenantId = tenantId, UpdatedBy = caller.Name };
                    db.LatencyObjectives.Add(setting);
                }

                (setting.ThresholdMs, setting.Percentile, setting.WindowDays, setting.UpdatedAt, setting.UpdatedBy) =
                    (objective.ThresholdMs, objective.Percentile, objective.WindowDays, clock.GetUtcNow(), caller.Name);
                return ChangeOutcome.Save(
                    new ChangeRecord("latency_objective.set", new { endpoint = endpoint.Name, before, after = objective.ToString() }),
                    () => GetAsync(caller, tenantId, endpoint.Id, ct));
            }, ct);
    }

    public Task<ServiceResult<LatencyObjectiveView>> DeleteAsync(Caller caller, Guid tenantId, Guid endpointId, CancellationToken ct = default) =>
        changes.RunAsync(new TenantChange(caller, tenantId, Permission, "latency_objective.delete", "endpoint", endpointId.ToString()),
            objectives => objectives.Where(o => o.EndpointId == endpointId), "The endpoint has no TTFT objective.",
            async (LatencyObjectiveSetting setting, PortalDbContext db) =>
            {
                var name = await db.Endpoints.Where(e => e.Id == endpointId).Select(e => e.Name).SingleAsync(ct);
                db.LatencyObjectives.Remove(setting);
                return ChangeOutcome.Save(new ChangeRecord("latency_objective.deleted", new { endpoint = name, before = ToObjective(setting).ToString() }),
                    ToView(name, setting, null));
            }, ct);

    internal static LatencyObjective ToObjective(LatencyObjectiveSetting s) => new(s.ThresholdMs, s.Percentile, s.WindowDays);

    internal static LatencyObjectiveView ToView(string endpoint, LatencyObjectiveSetting s, LatencyCompliance? compliance) =>
        new(s.EndpointId, endpoint, s.ThresholdMs, s.Percentile, s.WindowDays, ToObjective(s).ToString(), s.UpdatedAt, s.UpdatedBy,
            compliance is null ? null : LatencyComplianceView.From(compliance));
}
