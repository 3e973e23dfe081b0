using Microsoft.EntityFrameworkCore;
using Portal.Audit;
using Portal.Core.Audit;
using Portal.Core.Residency;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Deployments;
using Portal.Identity;
using Portal.Inference;
using Portal.Residency;
using Portal.Tenancy;

namespace Portal.Platform;

/// <summary>
/// Platform operators run the platform's tenants: create, rename, suspend, resume and delete them, and set their allowed
/// regions. Every change is recorded in the platform's audit trail; suspension, resumption and deletion also in the
/// tenant's own, where its admins and auditors see why their access changed. Anyone else is refused on the record.
/// </summary>
public sealed class TenantAdministration(
    IDbContextFactory<PortalDbContext> dbFactory,
    DeploymentService deployments,
    ResidencyService residency,
    GatewaySnapshot snapshot,
    AuditLog auditLog,
    TimeProvider clock)
{
    public async Task<ServiceResult<IReadOnlyList<TenantView>>> ListAsync(Caller caller, bool includeDeleted = false, CancellationToken ct = default)
    {
        if (await RefuseAsync<IReadOnlyList<TenantView>>(caller, "tenant.list", null, ct) is { } refused)
        {
            return refused;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var tenants = await Views(db, db.Tenants.Where(t => includeDeleted || t.DeletedAt == null)).ToListAsync(ct);
        return ServiceResult<IReadOnlyList<TenantView>>.Ok(tenants.OrderBy(t => t.Name, StringComparer.OrdinalIgnoreCase).Select(WithRegions).ToList());
    }

    public async Task<ServiceResult<TenantView>> GetAsync(Caller caller, Guid tenantId, CancellationToken ct = default)
    {
        if (await RefuseAsync<TenantView>(caller, "tenant.read", tenantId, ct) is { } refused)
        {
            return refused;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ViewAsync(db, tenantId, ct) is { } view ? ServiceResult<TenantView>.Ok(view) : ServiceResult<TenantView>.NotFound("No such tenant.");
    }

    public async Task<ServiceResult<TenantView>> CreateAsync(Caller caller, CreateTenantRequest request, CancellationToken ct = default)
    {
        if (await RefuseAsync<TenantView>(caller, "tenant.create", null, ct) is { } refused)
        {
            return refused;
        }

        var name = request.Name?.Trim();
        var slug = request.Slug?.Trim();
        var errors = new Dictionary<string, string[]>();
        if (TenantRules.CheckName(name) is { } badName)
        {
            errors["name"] = [badName];
        }

        if (TenantRules.CheckSlug(slug) is { } badSlug)
        {
            errors["slug"] = [badSlug];
        }

        if (errors.Count > 0)
        {
            return ServiceResult<TenantView>.Invalid(errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var taken = $"The slug '{slug}' is taken by another tenant (a deleted tenant keeps its slug).";
        if (await db.Tenants.AnyAsync(t => t.Slug == slug, ct))
        {
            return ServiceResult<TenantView>.Conflict(taken);
        }

        var tenant = new Tenant { Name = name!, Slug = slug!, CreatedAt = clock.GetUtcNow() };
        db.Tenants.Add(tenant);
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (DatabaseErrors.IsUniqueViolation(e))
            {
                return ServiceResult<TenantView>.Conflict(taken); // Created by someone else between the check and the insert.
            }

            await auditLog.RecordAsync(db, caller, null, "tenant.created", "tenant", tenant.Id.ToString(), AuditOutcome.Success, null, new { name, slug }, ct);
            await transaction.CommitAsync(ct);
        }

        return ServiceResult<TenantView>.Ok((await ViewAsync(db, tenant.Id, ct))!);
    }

    public Task<ServiceResult<TenantView>> RenameAsync(Caller caller, Guid tenantId, RenameTenantRequest request, CancellationToken ct = default) =>
        ChangeAsync(caller, tenantId, "tenant.renamed", null, alsoInTenantTrail: false, async (tenant, _) =>
        {
            var name = request.Name?.Trim();
            if (TenantRules.RefuseRename(StateOf(tenant)) is { } refused)
            {
                return (ServiceResult<TenantView>.Conflict(refused), null);
            }

            if (TenantRules.CheckName(name) is { } badName)
            {
                return (ServiceResult<TenantView>.Invalid("name", badName), null);
            }

            var before = tenant.Name;
            tenant.Name = name!;
            return (null, new { before, after = name });
        }, ct);

    public Task<ServiceResult<TenantView>> SuspendAsync(Caller caller, Guid tenantId, TenantStateRequest request, CancellationToken ct = default) =>
        ChangeAsync(caller, tenantId, "tenant.suspended", request.Reason, alsoInTenantTrail: true, (tenant, _) =>
            Task.FromResult(Transition(tenant, TenantState.Suspended, () => tenant.SuspendedAt = clock.GetUtcNow())), ct);

    public Task<ServiceResult<TenantView>> ResumeAsync(Caller caller, Guid tenantId, TenantStateRequest request, CancellationToken ct = default) =>
        ChangeAsync(caller, tenantId, "tenant.resumed", request.Reason, alsoInTenantTrail: true, (tenant, _) =>
            Task.FromResult(Transition(tenant, TenantState.Active, () => tenant.SuspendedAt = null)), ct);

    /// <summary>
    /// The last step of offboarding, only after a suspension: its deployments are deleted (the reconciler stops their
    /// replicas), its endpoints removed, its inference keys revoked, its clients disabled and its stored secrets (weight
    /// credentials, serverless targets' keys, webhooks) destroyed. The tenant row and its audit trail stay.
    /// </summary>
    public async Task<ServiceResult<DeletedTenantView>> DeleteAsync(Caller caller, Guid tenantId, TenantStateRequest request, CancellationToken ct = default)
    {
        var counts = (Deployments: (IReadOnlyList<Guid>)[], Endpoints: 0, Keys: 0, Clients: 0);
        var result = await ChangeAsync(caller, tenantId, "tenant.deleted", request.Reason, alsoInTenantTrail: true, async (tenant, db) =>
        {
            if (TenantRules.RefuseTransition(StateOf(tenant), TenantState.Deleted) is { } refused)
            {
                return (ServiceResult<TenantView>.Conflict(refused), null);
            }

            var now = clock.GetUtcNow();
            tenant.DeletedAt = now;
            counts.Deployments = await deployments.DeleteAllOfTenantAsync(db, tenantId, caller.Name, ct);
            counts.Endpoints = await db.Endpoints.Where(e => e.TenantId == tenantId).ExecuteDeleteAsync(ct);
            counts.Keys = await db.ApiKeys.Where(k => k.TenantId == tenantId && k.RevokedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, now), ct);
            counts.Clients = await db.ApiClients.Where(c => c.TenantId == tenantId && !c.Disabled)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Disabled, true), ct);
            await db.Targets.Where(t => t.TenantId == tenantId && t.ProtectedApiKey != null)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.ProtectedApiKey, (string?)null), ct);
            var credentials = await db.WeightCredentials.Where(c => c.TenantId == tenantId).ExecuteDeleteAsync(ct);
            var webhooks = await db.Webhooks.Where(w => w.TenantId == tenantId).ExecuteDeleteAsync(ct);
            var channels = await db.NotificationChannels.Where(c => c.TenantId == tenantId).ExecuteDeleteAsync(ct);
            return (null, new
            {
                deploymentsDeleted = counts.Deployments.Count, endpointsRemoved = counts.Endpoints, keysRevoked = counts.Keys,
                clientsDisabled = counts.Clients, weightCredentialsDestroyed = credentials, webhooksRemoved = webhooks,
                notificationChannelsRemoved = channels,
            });
        }, ct);
        if (!result.Succeeded)
        {
            return new ServiceResult<DeletedTenantView>(result.Status, null, result.Message, result.Errors);
        }

        deployments.ReconcileSoon(counts.Deployments);
        return ServiceResult<DeletedTenantView>.Ok(new DeletedTenantView(result.Value!, counts.Deployments.Count, counts.Endpoints, counts.Keys, counts.Clients));
    }

    /// <summary>The tenant's allowed regions: its residency policy, set through the residency service (with a reason).</summary>
    public async Task<ServiceResult<TenantView>> SetAllowedRegionsAsync(Caller caller, Guid tenantId, RegionLockRequest request, CancellationToken ct = default)
    {
        if (await RefuseAsync<TenantView>(caller, ResidencyService.PolicyAction, tenantId, ct) is { } refused)
        {
            return refused;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await ViewAsync(db, tenantId, ct) is not { State: not TenantState.Deleted })
        {
            return ServiceResult<TenantView>.NotFound("No such tenant.");
        }

        var changed = await residency.SetTenantPolicyAsync(caller, tenantId, request, ct);
        return changed.Succeeded
            ? ServiceResult<TenantView>.Ok((await ViewAsync(db, tenantId, ct))!)
            : new ServiceResult<TenantView>(changed.Status, null, changed.Message, changed.Errors);
    }

    /// <summary>Guard → load → change → save in one transaction → audit → the gateway sees it at once.</summary>
    private async Task<ServiceResult<TenantView>> ChangeAsync(
        Caller caller, Guid tenantId, string action, string? reason, bool alsoInTenantTrail,
        Func<Tenant, PortalDbContext, Task<(ServiceResult<TenantView>? Refused, object? Details)>> change, CancellationToken ct)
    {
        if (await RefuseAsync<TenantView>(caller, action, tenantId, ct) is { } refused)
        {
            return refused;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var tenant = await db.Tenants.SingleOrDefaultAsync(t => t.Id == tenantId, ct);
        if (tenant is null)
        {
            return ServiceResult<TenantView>.NotFound("No such tenant.");
        }

        var (answer, details) = await change(tenant, db);
        if (answer is not null)
        {
            await transaction.RollbackAsync(ct);
            await auditLog.RecordAsync(caller, null, action, "tenant", tenantId.ToString(), AuditOutcome.Failure, answer.Message, cancellationToken: ct);
            return answer;
        }

        await db.SaveChangesAsync(ct);
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        var recorded = new { name = tenant.Name, slug = tenant.Slug, change = details };
        await auditLog.RecordAsync(db, caller, null, action, "tenant", tenantId.ToString(), AuditOutcome.Success, reason, recorded, ct);
        if (alsoInTenantTrail)
        {
            await auditLog.RecordAsync(db, caller, tenantId, action, "tenant", tenantId.ToString(), AuditOutcome.Success, reason, recorded, ct);
        }

        await transaction.CommitAsync(ct);

        await snapshot.RefreshAsync(ct);
        return ServiceResult<TenantView>.Ok((await ViewAsync(db, tenantId, ct))!);
    }

    private (ServiceResult<TenantView>?, object?) Transition(Tenant tenant, TenantState to, Action apply)
    {
        var from = StateOf(tenant);
        if (TenantRules.RefuseTransition(from, to) is { } refused)
        {
            return (ServiceResult<TenantView>.Conflict(refused), null);
        }

        apply();
        return (null, new { from = from.ToString(), to = to.ToString() });
    }

    /// <summary>Only platform operators manage tenants; anyone else is refused, on the platform's record.</summary>
    internal async Task<ServiceResult<T>?> RefuseAsync<T>(Caller caller, string action, Guid? tenantId, CancellationToken ct)
    {
        if (AccessPolicy.CanManageTenants(caller.IsOperator))
        {
            return null;
        }

        var who = caller.IsSupport ? "platform support" : caller.IsClient ? "an automation client" : "not a platform operator";
        var message = $"Only a platform operator manages tenants; you are {who}.";
        await auditLog.RecordAsync(caller, null, action, "tenant", tenantId?.ToString() ?? "*", AuditOutcome.Denied, message, cancellationToken: ct);
        return ServiceResult<T>.Forbidden(message);
    }

    private static TenantState StateOf(Tenant tenant) => TenantRules.StateOf(tenant.SuspendedAt, tenant.DeletedAt);

    private static IQueryable<TenantRow> Views(PortalDbContext db, IQueryable<Tenant> tenants) => tenants.AsNoTracking().Select(t => new TenantRow(
        t.Id, t.Name, t.Slug, t.CreatedAt, t.SuspendedAt, t.DeletedAt, t.Members.Count(m => !m.Disabled),
        db.ResidencyPolicies.Where(p => p.TenantId == t.Id).Select(p => p.Regions).FirstOrDefault()));

    private static async Task<TenantView?> ViewAsync(PortalDbContext db, Guid tenantId, CancellationToken ct) =>
        await Views(db, db.Tenants.Where(t => t.Id == tenantId)).SingleOrDefaultAsync(ct) is { } row ? WithRegions(row) : null;

    private static TenantView WithRegions(TenantRow row) => new(row.Id, row.Name, row.Slug, TenantRules.StateOf(row.SuspendedAt, row.DeletedAt),
        row.CreatedAt, row.SuspendedAt, row.DeletedAt, row.Members, ResidencyRule.Parse(row.Regions)?.Order().ToList());

    private sealed record TenantRow(
        Guid Id, string Name, string Slug, DateTimeOffset CreatedAt, DateTimeOffset? SuspendedAt, DateTimeOffset? DeletedAt, int Members, string? Regions);
}
