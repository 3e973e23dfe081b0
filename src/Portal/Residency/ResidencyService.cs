using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;
using Portal.Core.Catalog;
using Portal.Core.Deployments;
using Portal.Core.Residency;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Identity;
using Portal.Tenancy;

namespace Portal.Residency;

/// <summary>A requested lock: the union of whole jurisdictions and single regions. Both empty with <see cref="Unlock"/> removes the lock.</summary>
public sealed record RegionLockRequest(IReadOnlyList<Jurisdiction>? Jurisdictions, IReadOnlyList<string>? Regions, string? Reason, bool Unlock = false);

/// <summary>The lock state after a change.</summary>
public sealed record RegionLockView(Guid? EndpointId, string Subject, IReadOnlyList<string>? Regions);

/// <summary>
/// Sets the tenant's residency policy (its TenantAdmin, or a platform operator setting the tenant's allowed regions) and the
/// endpoints' region locks (TenantAdmin only), each with a reason. Every change
/// and every refusal is audited; a change that would strand a running deployment is refused with the deployments named.
/// </summary>
public sealed class ResidencyService(TenantChangeRunner changes, ModelCatalog catalog, TimeProvider clock)
{
    public const string PolicyAction = "residency.policy_changed";
    public const string EndpointLockAction = "residency.endpoint_lock_changed";
    public const string StrandedKey = "deployments";
    private const string TenantSubject = "tenant policy";

    private static readonly ChangePermission Permission = new(r => r == TenantRole.TenantAdmin, "Region locks are set by TenantAdmin");

    public Task<ServiceResult<RegionLockView>> SetTenantPolicyAsync(Caller caller, Guid tenantId, RegionLockRequest request, CancellationToken ct = default) =>
        changes.RunAsync(new TenantChange(caller, tenantId, Permission, PolicyAction, "tenant", tenantId.ToString()) { OperatorMayAct = true },
            db => ChangeAsync(db, caller, tenantId, null, request, ct), ct);

    public Task<ServiceResult<RegionLockView>> SetEndpointLockAsync(Caller caller, Guid tenantId, Guid endpointId, RegionLockRequest request, CancellationToken ct = default) =>
        changes.RunAsync(new TenantChange(caller, tenantId, Permission, EndpointLockAction, "endpoint", endpointId.ToString()),
            endpoints => endpoints.Where(e => e.Id == endpointId), "No such endpoint.",
            (InferenceEndpoint endpoint, PortalDbContext db) => ChangeAsync(db, caller, tenantId, endpoint, request, ct), ct);

    private async Task<ChangeOutcome<RegionLockView>> ChangeAsync(
        PortalDbContext db, Caller caller, Guid tenantId, InferenceEndpoint? endpoint, RegionLockRequest request, CancellationToken ct)
    {
        var endpointId = endpoint?.Id;
        var action = endpointId is null ? PolicyAction : EndpointLockAction;
        var subject = endpoint?.Name ?? TenantSubject;
        ChangeOutcome<RegionLockView> Refuse(ServiceResult<RegionLockView> answer, object? details = null) =>
            ChangeOutcome.RefuseOnRecord(answer, AuditOutcome.Failure, new ChangeRecord(action,
                details ?? new { subject, requested = request.Regions, jurisdictions = request.Jurisdictions?.Select(j => j.ToString()) }));

        var reason = request.Reason?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            return Refuse(ServiceResult<RegionLockView>.Invalid("reason", "Give a reason for the change; auditors read it in the lock history."));
        }

        IReadOnlySet<string>? after;
        try
        {
            after = request.Unlock ? null : ResidencyRule.Resolve(catalog, request.Jurisdictions, request.Regions);
        }
        catch (UnknownCatalogIdException e)
        {
            return Refuse(ServiceResult<RegionLockView>.Invalid("regions", e.Message));
        }

        if (after is { Count: 0 })
        {
            return Refuse(ServiceResult<RegionLockView>.Invalid("regions", "Choose at least one region or jurisdiction, or remove the lock."));
        }

        var tenantPolicy = await ResidencyLocks.TenantPolicyAsync(db, tenantId, ct);
        var endpointLocks = (await db.EndpointRegionLocks.AsNoTracking().Where(l => l.TenantId == tenantId).ToListAsync(ct))
            .ToDictionary(l => l.EndpointId, l => ResidencyRule.Parse(l.Regions));
        var before = endpointId is { } id ? endpointLocks.GetValueOrDefault(id) : tenantPolicy;
        if (endpointId is not null && after is not null && !ResidencyRule.IsWithin(after, tenantPolicy))
        {
            var outside = after.Where(r => !tenantPolicy!.Contains(r)).Order();
            return Refuse(ServiceResult<RegionLockView>.Invalid("regions",
                $"An endpoint lock must lie within the tenant's residency policy ({ResidencyRule.Format(tenantPolicy)}); {string.Join(", ", outside)} is outside it."));
        }

        var proposedTenant = endpointId is null ? after : tenantPolicy;
        var stranded = ResidencyRule.Stranded(await RunningAsync(db, tenantId, ct), proposedTenant,
            e => e == endpointId ? after : endpointLocks.GetValueOrDefault(e));
        if (stranded.Count > 0)
        {
            var names = string.Join("; ", stranded.Select(s => $"{s.Name} ({string.Join(", ", s.Regions)})"));
            var message = $"This change would strand {stranded.Count} running deployment(s) outside the allowed regions: {names}. "
                + "Stop them, or redeploy them in an allowed region, then change the lock.";
            var errors = new Dictionary<string, string[]> { [StrandedKey] = stranded.Select(s => $"{s.Name}: {string.Join(", ", s.Regions)}").ToArray() };
            return Refuse(new ServiceResult<RegionLockView>(ServiceStatus.Conflict, null, message, errors),
                new { subject, before = ResidencyRule.Format(before), after = ResidencyRule.Format(after), reason, stranded });
        }

        var now = clock.GetUtcNow();
        var stored = ResidencyRule.Format(after);
        if (endpointId is null)
        {
            var row = await db.ResidencyPolicies.SingleOrDefaultAsync(p => p.TenantId == tenantId, ct);
            if (stored is null && row is not null)
            {
                db.ResidencyPolicies.Remove(row);
            }
            else if (stored is not null)
            {
                row ??= db.ResidencyPolicies.Add(new TenantResidencyPolicy { TenantId = tenantId, Regions = stored, UpdatedBy = caller.Name }).Entity;
                (row.Regions, row.UpdatedBy, row.UpdatedAt) = (stored, caller.Name, now);
            }
        }
        else
        {
            var row = await db.EndpointRegionLocks.SingleOrDefaultAsync(l => l.EndpointId == endpointId, ct);
            if (stored is null && row is not null)
            {
                db.EndpointRegionLocks.Remove(row);
            }
            else if (stored is not null)
            {
                row ??= db.EndpointRegionLocks.Add(new EndpointRegionLock
                {
                    EndpointId = endpointId.Value, TenantId = tenantId, Regions = stored, UpdatedBy = caller.Name,
                }).Entity;
                (row.Regions, row.UpdatedBy, row.UpdatedAt) = (stored, caller.Name, now);
            }
        }

        db.RegionLockChanges.Add(new RegionLockChange
        {
            TenantId = tenantId, EndpointId = endpointId, Subject = subject, Before = ResidencyRule.Format(before), After = stored,
            Reason = reason, ActorId = caller.Subject, ActorName = caller.Name, At = now,
        });
        return ChangeOutcome.Save(new ChangeRecord(action, new { subject, before = ResidencyRule.Format(before), after = stored }) { Reason = reason },
            new RegionLockView(endpointId, subject, after?.Order().ToList()));
    }

    /// <summary>Deployments that run or are meant to run: anything not stopped or deleted, or still holding live replicas.</summary>
    internal static async Task<List<LockedDeployment>> RunningAsync(PortalDbContext db, Guid tenantId, CancellationToken ct)
    {
        var deployments = await db.Deployments.AsNoTracking()
            .Where(d => d.TenantId == tenantId && d.Status != DeploymentStatus.Deleted)
            .Select(d => new
            {
                d.Id, d.Name, d.Region, d.Status,
                Replicas = d.Replicas.Where(r => r.Phase != ReplicaPhase.Stopped && r.Phase != ReplicaPhase.Failed).Select(r => r.Region).ToList(),
            })
            .ToListAsync(ct);
        var routes = await (
                from e in db.Endpoints
                from t in db.Targets
                where e.TenantId == tenantId && t.DeploymentId != null && (t.Id == e.PrimaryTargetId || t.Id == e.SecondaryTargetId)
                select new { DeploymentId = t.DeploymentId!.Value, EndpointId = e.Id })
            .ToListAsync(ct);
        return deployments
            .Where(d => d.Status != DeploymentStatus.Stopped || d.Replicas.Count > 0)
            .Select(d => new LockedDeployment(d.Id, d.Name, d.Region, d.Replicas,
                routes.Where(r => r.DeploymentId == d.Id).Select(r => r.EndpointId).Distinct().ToList()))
            .ToList();
    }
}
