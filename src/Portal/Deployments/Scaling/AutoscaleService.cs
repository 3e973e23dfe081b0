using Microsoft.EntityFrameworkCore;
using Portal.Core.Deployments;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Identity;
using Portal.Tenancy;

namespace Portal.Deployments;

/// <summary>Reads and changes a deployment's autoscale policy and its scaling timeline; every change is audited.</summary>
public sealed class AutoscaleService(IDbContextFactory<PortalDbContext> dbFactory, TenantChangeRunner changes, TimeProvider clock)
{
    private static readonly ChangePermission Permission = new(AccessPolicy.CanChange, "Changing how a deployment scales is for TenantAdmin and Developer");

    public async Task<ServiceResult<AutoscaleView>> GetAsync(Caller caller, Guid tenantId, Guid id, CancellationToken ct = default)
    {
        if (caller.In(tenantId) is null)
        {
            return ServiceResult<AutoscaleView>.NotFound("No such deployment.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var deployment = await db.Deployments.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id && d.TenantId == tenantId, ct);
        if (deployment is null)
        {
            return ServiceResult<AutoscaleView>.NotFound("No such deployment.");
        }

        var settings = await db.AutoscaleSettings.AsNoTracking().SingleOrDefaultAsync(s => s.DeploymentId == id, ct);
        var events = await db.ScaleEvents.AsNoTracking().Where(e => e.DeploymentId == id && e.TenantId == tenantId)
            .OrderByDescending(e => e.Id).Take(50)
            .Select(e => new ScaleEventView(e.At, e.FromReplicas, e.ToReplicas, e.Reason, e.LoadPerReplica)).ToListAsync(ct);
        return ServiceResult<AutoscaleView>.Ok(new AutoscaleView(id, deployment.BaselineReplicas, deployment.MaxReplicas,
            deployment.DesiredReplicas, AutoscalePolicyView.From(settings), events));
    }

    public Task<ServiceResult<AutoscaleView>> SetPolicyAsync(Caller caller, Guid tenantId, Guid id, AutoscalePolicyView policy, CancellationToken ct = default)
    {
        const string action = "deployment.autoscale_changed";
        var change = new TenantChange(caller, tenantId, Permission, action, "deployment", id.ToString())
        {
            // The autoscaler creates a deployment's settings row on its first pass too; losing that race is retried.
            Attempts = 3,
        };
        return changes.RunAsync(change, deployments => deployments.Where(d => d.Id == id && d.Status != DeploymentStatus.Deleted), "No such deployment.",
            async (Deployment _, PortalDbContext db) =>
            {
                if (policy.Errors() is { Count: > 0 } errors)
                {
                    return ChangeOutcome.RefuseOnRecord(ServiceResult<AutoscaleView>.Invalid(errors));
                }

                var settings = await db.AutoscaleSettings.SingleOrDefaultAsync(s => s.DeploymentId == id, ct);
                var before = AutoscalePolicyView.From(settings);
                if (settings is null)
                {
                    settings = new AutoscaleSettings { DeploymentId = id, TenantId = tenantId };
                    db.AutoscaleSettings.Add(settings);
                }

                policy.ApplyTo(settings);
                settings.UpdatedAt = clock.GetUtcNow();
                return ChangeOutcome.Save(new ChangeRecord(action, new { before, after = policy }), () => GetAsync(caller, tenantId, id, ct));
            }, ct);
    }
}
