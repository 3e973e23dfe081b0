using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Audit;
using Portal.Core.Audit;
using Portal.Core.Deployments;
using Portal.Core.Quotas;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Identity;
using Portal.Tenancy;

namespace Portal.Quotas;

/// <param name="Quota">The API key of the quota (<c>gpusInUse</c>, <c>replicasPerDeployment</c>, …).</param>
/// <param name="Override">The tenant's own limit set by an operator; null when the platform default applies.</param>
public sealed record QuotaRow(string Quota, string Name, int Limit, int Default, int? Override, int InUse);

public sealed record QuotasView(Guid TenantId, string TenantName, IReadOnlyList<QuotaRow> Quotas, DateTimeOffset? UpdatedAt, string? UpdatedBy);

/// <summary>A tenant's limits; a null (or missing) quota goes back to the platform default.</summary>
public sealed record SetQuotasRequest(
    int? GpusInUse, int? ReplicasPerDeployment, int? Deployments, int? Endpoints, int? ApiKeys, int? Webhooks, int? Pipelines);

/// <summary>
/// Tenants' quotas: the limits (platform defaults from configuration, a tenant's overrides from the database), what each
/// tenant uses, and the one check the services call before they add something. Only platform operators set them.
/// </summary>
public sealed class QuotaService(IDbContextFactory<PortalDbContext> dbFactory, IOptions<QuotaOptions> options, AuditLog auditLog, TimeProvider clock)
{
    public const int MaxLimit = 1_000_000;

    /// <summary>The limits and the tenant's use without <paramref name="existing"/>, for the deployment validator.</summary>
    public async Task<DeploymentQuota> ForDeploymentAsync(Guid tenantId, Guid? existing, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return new DeploymentQuota(await LimitsAsync(db, tenantId, ct), await UsageAsync(db, tenantId, existing, ct), IsNew: existing is null);
    }

    /// <summary>
    /// Whether one more of a counted thing fits the tenant's quota. A refusal is recorded in the tenant's audit trail
    /// under the service's <paramref name="action"/> and returned as a field error on <paramref name="field"/>.
    /// </summary>
    public async Task<Dictionary<string, string[]>?> CheckCountAsync(
        Caller caller, Guid tenantId, QuotaKind kind, string field, string action, string resourceType, string resource, CancellationToken ct = default)
    {
        QuotaRefusal? refusal;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            refusal = QuotaRule.CheckCount(kind, await LimitsAsync(db, tenantId, ct), await UsageAsync(db, tenantId, null, ct));
        }

        if (refusal is null)
        {
            return null;
        }

        await auditLog.RecordAsync(caller, tenantId, action, resourceType, resource, AuditOutcome.Denied, refusal.Message,
            new { quota = QuotaNames.Key(kind), limit = refusal.Limit, inUse = refusal.InUse }, ct);
        return new Dictionary<string, string[]> { [field] = [refusal.Message] };
    }

    /// <summary>Quotas and use of a tenant: for its TenantAdmins, and for the platform's operators and support staff.</summary>
    public async Task<ServiceResult<QuotasView>> GetAsync(Caller caller, Guid tenantId, CancellationToken ct = default)
    {
        var access = caller.In(tenantId);
        if (!AccessPolicy.CanReadQuotas(access is { LookIn: false } ? access.Role : null, caller.IsSupport, caller.IsOperator))
        {
            return access is null
                ? ServiceResult<QuotasView>.NotFound("No such tenant.")
                : ServiceResult<QuotasView>.Forbidden($"Quotas are shown to the tenant's admins; you are {(access.LookIn ? "looking in as support" : access.Role.ToString())}.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var view = await ViewAsync(db, tenantId, ct);
        if (view is null)
        {
            return ServiceResult<QuotasView>.NotFound("No such tenant.");
        }

        if (caller.IsSupport && access is null)
        {
            // Every look of support staff into a tenant is visible to that tenant.
            await auditLog.RecordAsync(caller, tenantId, "quota.viewed", "tenant-quota", tenantId.ToString(),
                reason: "Platform support read the tenant's quotas and use.", cancellationToken: ct);
        }

        return ServiceResult<QuotasView>.Ok(view);
    }

    /// <summary>Sets a tenant's overrides (null = the platform default). Platform operators only; audited either way.</summary>
    public async Task<ServiceResult<QuotasView>> SetAsync(Caller caller, Guid tenantId, SetQuotasRequest request, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var tenantExists = await db.Tenants.AnyAsync(t => t.Id == tenantId && t.DeletedAt == null, ct);
        if (!AccessPolicy.CanSetQuotas(caller.IsOperator))
        {
            // Someone outside the tenant and the platform learns nothing about it; a member or support is refused on the record.
            if (!tenantExists || (caller.In(tenantId) is null && !caller.IsSupport))
            {
                return ServiceResult<QuotasView>.NotFound("No such tenant.");
            }

            var who = caller.In(tenantId) is { LookIn: false } access ? access.Role.ToString() : "Support";
            var message = $"Only a platform operator sets quotas; you are {who}.";
            await auditLog.RecordAsync(caller, tenantId, "quota.update", "tenant-quota", tenantId.ToString(), AuditOutcome.Denied, message, cancellationToken: ct);
            return ServiceResult<QuotasView>.Forbidden(message);
        }

        if (!tenantExists)
        {
            return ServiceResult<QuotasView>.NotFound("No such tenant.");
        }

        var overrides = ToOverrides(request);
        var errors = Enum.GetValues<QuotaKind>()
            .Where(k => overrides[k] is < 0 or > MaxLimit)
            .ToDictionary(QuotaNames.Key, k => new[] { $"The {QuotaNames.Display(k)} quota must be between 0 and {MaxLimit} (or null for the platform default); got {overrides[k]}." });
        if (errors.Count > 0)
        {
            return ServiceResult<QuotasView>.Invalid(errors);
        }

        var row = await db.TenantQuotas.SingleOrDefaultAsync(q => q.TenantId == tenantId, ct);
        var before = row is null ? new QuotaOverrides() : ToOverrides(row);
        if (row is null)
        {
            row = new TenantQuota { TenantId = tenantId, UpdatedBy = caller.Name };
            db.TenantQuotas.Add(row);
        }

        row.GpusInUse = overrides.GpusInUse;
        row.ReplicasPerDeployment = overrides.ReplicasPerDeployment;
        row.Deployments = overrides.Deployments;
        row.Endpoints = overrides.Endpoints;
        row.ApiKeys = overrides.ApiKeys;
        row.Webhooks = overrides.Webhooks;
        row.Pipelines = overrides.Pipelines;
        row.UpdatedAt = clock.GetUtcNow();
        row.UpdatedBy = caller.Name;
        await db.SaveChangesAsync(ct);
        await auditLog.RecordAsync(caller, tenantId, "quota.updated", "tenant-quota", tenantId.ToString(),
            details: new { before, after = overrides }, cancellationToken: ct);
        return ServiceResult<QuotasView>.Ok((await ViewAsync(db, tenantId, ct))!);
    }

    private async Task<QuotasView?> ViewAsync(PortalDbContext db, Guid tenantId, CancellationToken ct)
    {
        var tenant = await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId).Select(t => new { t.Name }).SingleOrDefaultAsync(ct);
        if (tenant is null)
        {
            return null;
        }

        var row = await db.TenantQuotas.AsNoTracking().SingleOrDefaultAsync(q => q.TenantId == tenantId, ct);
        var overrides = row is null ? new QuotaOverrides() : ToOverrides(row);
        var defaults = options.Value.Defaults;
        var limits = defaults.With(overrides);
        var usage = await UsageAsync(db, tenantId, null, ct);
        var rows = Enum.GetValues<QuotaKind>()
            .Select(k => new QuotaRow(QuotaNames.Key(k), QuotaNames.Display(k), limits[k], defaults[k], overrides[k], usage[k]))
            .ToList();
        return new QuotasView(tenantId, tenant.Name, rows, row?.UpdatedAt, row?.UpdatedBy);
    }

    private async Task<QuotaLimits> LimitsAsync(PortalDbContext db, Guid tenantId, CancellationToken ct)
    {
        var row = await db.TenantQuotas.AsNoTracking().SingleOrDefaultAsync(q => q.TenantId == tenantId, ct);
        return row is null ? options.Value.Defaults : options.Value.Defaults.With(ToOverrides(row));
    }

    private async Task<QuotaUsage> UsageAsync(PortalDbContext db, Guid tenantId, Guid? excludingDeployment, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var deployments = await db.Deployments.AsNoTracking()
            .Where(d => d.TenantId == tenantId && d.Status != DeploymentStatus.Deleted && d.Id != excludingDeployment)
            .Select(d => new DeploymentClaim(d.BaselineReplicas, d.MaxReplicas, d.GpusPerReplica))
            .ToListAsync(ct);
        var endpoints = await db.Endpoints.CountAsync(e => e.TenantId == tenantId, ct);
        var keys = await db.ApiKeys.CountAsync(k => k.TenantId == tenantId && k.RevokedAt == null && (k.ExpiresAt == null || k.ExpiresAt > now), ct);
        // Notification channels count with the signed webhooks: both are addresses the portal sends the tenant's notices to.
        var webhooks = await db.Webhooks.CountAsync(w => w.TenantId == tenantId, ct)
            + await db.NotificationChannels.CountAsync(c => c.TenantId == tenantId, ct);
        var pipelines = await db.Pipelines.CountAsync(p => p.TenantId == tenantId, ct);
        return QuotaUsage.From(deployments, endpoints, keys, webhooks, pipelines);
    }

    private static QuotaOverrides ToOverrides(SetQuotasRequest r) => new()
    {
        GpusInUse = r.GpusInUse, ReplicasPerDeployment = r.ReplicasPerDeployment, Deployments = r.Deployments, Endpoints = r.Endpoints,
        ApiKeys = r.ApiKeys, Webhooks = r.Webhooks, Pipelines = r.Pipelines,
    };

    private static QuotaOverrides ToOverrides(TenantQuota r) => new()
    {
        GpusInUse = r.GpusInUse, ReplicasPerDeployment = r.ReplicasPerDeployment, Deployments = r.Deployments, Endpoints = r.Endpoints,
        ApiKeys = r.ApiKeys, Webhooks = r.Webhooks, Pipelines = r.Pipelines,
    };
}
