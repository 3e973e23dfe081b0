using Microsoft.EntityFrameworkCore;
using Portal.Audit;
using Portal.Core.Audit;
using Portal.Core.Residency;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Identity;
using Portal.Tenancy;

namespace Portal.Residency;

/// <summary>Requests of one endpoint processed in one region over the period, from the gateway's samples.</summary>
public sealed record RegionRequestCount(string Region, long Requests, long BurstRequests, long ShadowRequests);

public sealed record EndpointResidency(Guid EndpointId, string Name, IReadOnlyList<string>? CurrentLock, IReadOnlyList<RegionRequestCount> Regions)
{
    public long Requests => Regions.Sum(r => r.Requests);
}

public sealed record LockChangeView(DateTimeOffset At, string Subject, Guid? EndpointId, string? Before, string? After, string Reason, string Actor);

public sealed record RefusalView(DateTimeOffset At, long Sequence, string Action, string Outcome, string ResourceType, string ResourceId,
    string Actor, string? Reason, string? Details);

/// <summary>The residency report: where every request was processed, the lock history and every refused attempt in a period.</summary>
public sealed record ResidencyReportView(
    Guid TenantId, string TenantName, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<string>? TenantPolicy,
    IReadOnlyList<EndpointResidency> Endpoints, IReadOnlyList<LockChangeView> LockChanges, IReadOnlyList<RefusalView> Refusals);

/// <summary>Builds the residency report for auditors and tenant admins (the audit log's readers), scoped to their tenant.</summary>
public sealed class ResidencyReportService(IDbContextFactory<PortalDbContext> dbFactory, AuditReader auditReader)
{
    /// <summary>Audit actions of residency decisions all start with this, so the refusals are one filtered read.</summary>
    public const string ActionPrefix = "residency.";

    public async Task<ServiceResult<ResidencyReportView>> BuildAsync(Caller caller, Guid tenantId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default)
    {
        var scope = AuditReader.ScopeFor(caller, tenantId);
        if (!scope.Succeeded)
        {
            return new ServiceResult<ResidencyReportView>(scope.Status, null, scope.Message, scope.Errors);
        }

        if (to <= from)
        {
            return ServiceResult<ResidencyReportView>.Invalid("to", "The end of the period must be after its start.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var counts = await db.RequestSamples.AsNoTracking()
            .Where(s => s.TenantId == tenantId && s.EndpointId != null && s.Timestamp >= from && s.Timestamp < to)
            .GroupBy(s => new { s.EndpointId, s.Region })
            .Select(g => new
            {
                g.Key.EndpointId, g.Key.Region, Requests = g.LongCount(),
                Burst = g.LongCount(s => s.Burst), Shadow = g.LongCount(s => s.Shadow),
            })
            .ToListAsync(ct);
        var endpoints = await db.Endpoints.AsNoTracking().Where(e => e.TenantId == tenantId).Select(e => new { e.Id, e.Name }).ToListAsync(ct);
        var locks = await ResidencyLocks.EndpointLocksAsync(db, ct);
        var tenantPolicy = await ResidencyLocks.TenantPolicyAsync(db, tenantId, ct);
        var names = endpoints.ToDictionary(e => e.Id, e => e.Name);
        var endpointIds = endpoints.Select(e => e.Id).Union(counts.Select(c => c.EndpointId!.Value)).Distinct();
        var rows = endpointIds
            .Select(id => new EndpointResidency(id, names.GetValueOrDefault(id) ?? $"(deleted endpoint {id})",
                locks.GetValueOrDefault(id)?.Order().ToList(),
                counts.Where(c => c.EndpointId == id)
                    .Select(c => new RegionRequestCount(c.Region ?? "(none)", c.Requests, c.Burst, c.Shadow))
                    .OrderByDescending(c => c.Requests).ThenBy(c => c.Region).ToList()))
            .OrderBy(e => e.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();

        var changes = await db.RegionLockChanges.AsNoTracking()
            .Where(c => c.TenantId == tenantId && c.At >= from && c.At < to)
            .OrderBy(c => c.Id)
            .Select(c => new LockChangeView(c.At, c.Subject, c.EndpointId, c.Before, c.After, c.Reason, c.ActorName))
            .ToListAsync(ct);

        var refusals = new List<RefusalView>();
        var filter = new AuditFilter { From = from, To = to, Action = ActionPrefix };
        long? before = null;
        do
        {
            var page = await auditReader.PageAsync(scope.Value!, filter, before, null, AuditReader.MaxPageSize, ct);
            refusals.AddRange(page.Records.Where(r => r.Outcome != AuditOutcome.Success).Select(r => new RefusalView(
                r.OccurredAt, r.Sequence, r.Action, r.Outcome.ToString(), r.ResourceType, r.ResourceId, r.ActorName, r.Reason, r.Details)));
            before = page.Older;
        }
        while (before is not null);
        refusals.Reverse();

        return ServiceResult<ResidencyReportView>.Ok(new ResidencyReportView(tenantId, scope.Value!.Label, from, to,
            tenantPolicy?.Order().ToList(), rows, changes, refusals));
    }
}
