using Microsoft.EntityFrameworkCore;
using Portal.Audit;
using Portal.Core.Audit;
using Portal.Core.Deployments;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Identity;
using Portal.Tenancy;

namespace Portal.Deployments;

/// <summary>Reads and changes a deployment's autoscale policy and its scaling timeline; every change is audited.</summary>
public sealed class AutoscaleService(IDbContextFactory<PortalDbContext> dbFactory, TenantGuard guard, AuditLog auditLog, TimeProvider clock)
{
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

    public async Task<ServiceResult<AutoscaleView>> SetPolicyAsync(Caller caller, Guid tenantId, Guid id, AutoscalePolicyView policy, CancellationToken ct = default)
    {
        const string action = "deployment.autoscale_changed";
        if (await guard.RequireAsync<AutoscaleView>(caller, tenantId, AccessPolicy.CanChange,
                "Changing how a deployment scales is for TenantAdmin and Developer", action, "deployment", id.ToString(), ct) is { } refused)
        {
            return refused;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Deployments.AnyAsync(d => d.Id == id && d.TenantId == tenantId && d.Status != DeploymentStatus.Deleted, ct))
        {
            return ServiceResult<AutoscaleView>.NotFound("No such deployment.");
        }

        if (policy.Errors() is { Count: > 0 } errors)
        {
            await auditLog.RecordAsync(caller, tenantId, action, "deployment", id.ToString(), AuditOutcome.Failure,
                errors.Values.SelectMany(e => e).First(), cancellationToken: ct);
            return ServiceResult<AutoscaleView>.Invalid(errors);
        }

        // The autoscaler creates a deployment's settings row on its first pass too; losing that race is retried.
        AutoscalePolicyView before;
        for (var attempt = 1; ; attempt++)
        {
            var settings = await db.AutoscaleSettings.SingleOrDefaultAsync(s => s.DeploymentId == id, ct);
            before = AutoscalePolicyView.From(settings);
            if (settings is null)
            {
                settings = new AutoscaleSettings { DeploymentId = id, TenantId = tenantId };
                db.AutoscaleSettings.Add(settings);
            }

            policy.ApplyTo(settings);
            settings.UpdatedAt = clock.GetUtcNow();
            try
            {
                await db.SaveChangesAsync(ct);
                break;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                db.ChangeTracker.Clear();
            }
        }

        await auditLog.RecordAsync(caller, tenantId, action, "deployment", id.ToString(),
            details: new { before, after = policy }, cancellationToken: ct);
        return await GetAsync(caller, tenantId, id, ct);
    }
}
