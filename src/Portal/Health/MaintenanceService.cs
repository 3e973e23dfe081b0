using Microsoft.EntityFrameworkCore;
using Portal.Audit;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Identity;
using Portal.Tenancy;

namespace Portal.Health;

/// <summary>Maintenance windows per endpoint: planned work whose down time the SLA does not count. Changes are audited.</summary>
public sealed class MaintenanceService(IDbContextFactory<PortalDbContext> dbFactory, TenantGuard guard, AuditLog auditLog, TimeProvider clock)
{
    public static readonly TimeSpan MaxLength = TimeSpan.FromHours(24);

    public async Task<ServiceResult<IReadOnlyList<MaintenanceWindowView>>> ListAsync(Caller caller, Guid tenantId, CancellationToken ct = default)
    {
        if (caller.In(tenantId) is null)
        {
            return ServiceResult<IReadOnlyList<MaintenanceWindowView>>.NotFound("No such tenant.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var windows = await db.MaintenanceWindows.AsNoTracking().Where(w => w.TenantId == tenantId).OrderByDescending(w => w.StartsAt).ToListAsync(ct);
        return ServiceResult<IReadOnlyList<MaintenanceWindowView>>.Ok(windows.Select(ToView).ToList());
    }

    public async Task<ServiceResult<MaintenanceWindowView>> CreateAsync(Caller caller, Guid tenantId, MaintenanceWindowRequest request, CancellationToken ct = default)
    {
        if (await guard.RequireAsync<MaintenanceWindowView>(caller, tenantId, AccessPolicy.CanChange, "Only admins and developers plan maintenance",
                "maintenance.create", "endpoint", request.EndpointId.ToString(), ct) is { } refused)
        {
            return refused;
        }

        var reason = request.Reason?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            return ServiceResult<MaintenanceWindowView>.Invalid("reason", "Say what the maintenance is for.");
        }

        if (request.EndsAt <= request.StartsAt || request.EndsAt - request.StartsAt > MaxLength)
        {
            return ServiceResult<MaintenanceWindowView>.Invalid("endsAt", $"A maintenance window ends after it starts and lasts at most {MaxLength.TotalHours:0} hours.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Endpoints.AnyAsync(e => e.Id == request.EndpointId && e.TenantId == tenantId, ct))
        {
            return ServiceResult<MaintenanceWindowView>.NotFound("No such endpoint.");
        }

        var window = new MaintenanceWindow
        {
            TenantId = tenantId, EndpointId = request.EndpointId, StartsAt = request.StartsAt.ToUniversalTime(), EndsAt = request.EndsAt.ToUniversalTime(),
            Reason = reason.Length > 500 ? reason[..500] : reason, CreatedBy = caller.Name, CreatedAt = clock.GetUtcNow(),
        };
        db.MaintenanceWindows.Add(window);
        await db.SaveChangesAsync(ct);
        await auditLog.RecordAsync(caller, tenantId, "maintenance.created", "maintenance_window", window.Id.ToString(),
            details: new { window.EndpointId, window.StartsAt, window.EndsAt, window.Reason }, cancellationToken: ct);
        return ServiceResult<MaintenanceWindowView>.Ok(ToView(window));
    }

    public async Task<ServiceResult<MaintenanceWindowView>> DeleteAsync(Caller caller, Guid tenantId, Guid id, CancellationToken ct = default)
    {
        if (await guard.RequireAsync<MaintenanceWindowView>(caller, tenantId, AccessPolicy.CanChange, "Only admins and developers plan maintenance",
                "maintenance.delete", "maintenance_window", id.ToString(), ct) is { } refused)
        {
            return refused;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.MaintenanceWindows.SingleOrDefaultAsync(w => w.Id == id && w.TenantId == tenantId, ct) is not { } window)
        {
            return ServiceResult<MaintenanceWindowView>.NotFound("No such maintenance window.");
        }

        db.MaintenanceWindows.Remove(window);
        await db.SaveChangesAsync(ct);
        await auditLog.RecordAsync(caller, tenantId, "maintenance.deleted", "maintenance_window", id.ToString(),
            details: new { window.EndpointId, window.StartsAt, window.EndsAt }, cancellationToken: ct);
        return ServiceResult<MaintenanceWindowView>.Ok(ToView(window));
    }

    internal static MaintenanceWindowView ToView(MaintenanceWindow w) => new(w.Id, w.EndpointId, w.StartsAt, w.EndsAt, w.Reason, w.CreatedBy);
}
