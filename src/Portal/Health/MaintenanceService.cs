using Microsoft.EntityFrameworkCore;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Identity;
using Portal.Tenancy;

namespace Portal.Health;

/// <summary>Maintenance windows per endpoint: planned work whose down time the SLA does not count. Changes are audited.</summary>
public sealed class MaintenanceService(IDbContextFactory<PortalDbContext> dbFactory, TenantChangeRunner changes, TimeProvider clock)
{
    private static readonly ChangePermission Permission = new(AccessPolicy.CanChange, "Only admins and developers plan maintenance");

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

    /// <remarks>The endpoint is what the window belongs to: a caller is refused on it, and without it there is nothing to plan.</remarks>
    public Task<ServiceResult<MaintenanceWindowView>> CreateAsync(Caller caller, Guid tenantId, MaintenanceWindowRequest request, CancellationToken ct = default)
    {
        var reason = request.Reason?.Trim();
        var change = new TenantChange(caller, tenantId, Permission, "maintenance.create", "endpoint", request.EndpointId.ToString())
        {
            InputErrors = string.IsNullOrEmpty(reason)
                ? Error("reason", "Say what the maintenance is for.")
                : request.EndsAt <= request.StartsAt || request.EndsAt - request.StartsAt > MaxLength
                    ? Error("endsAt", $"A maintenance window ends after it starts and lasts at most {MaxLength.TotalHours:0} hours.")
                    : null,
        };
        return changes.RunAsync(change, endpoints => endpoints.Where(e => e.Id == request.EndpointId), "No such endpoint.",
            (InferenceEndpoint endpoint, PortalDbContext db) =>
            {
                var window = new MaintenanceWindow
                {
                    TenantId = tenantId, EndpointId = endpoint.Id, StartsAt = request.StartsAt.ToUniversalTime(), EndsAt = request.EndsAt.ToUniversalTime(),
                    Reason = reason!.Length > 500 ? reason[..500] : reason, CreatedBy = caller.Name, CreatedAt = clock.GetUtcNow(),
                };
                db.MaintenanceWindows.Add(window);
                return ChangeOutcome.Save(
                    new ChangeRecord("maintenance.created", new { window.EndpointId, window.StartsAt, window.EndsAt, window.Reason })
                    {
                        ResourceType = "maintenance_window", ResourceId = window.Id.ToString(),
                    },
                    ToView(window));
            }, ct);
    }

    public Task<ServiceResult<MaintenanceWindowView>> DeleteAsync(Caller caller, Guid tenantId, Guid id, CancellationToken ct = default) =>
        changes.RunAsync(new TenantChange(caller, tenantId, Permission, "maintenance.delete", "maintenance_window", id.ToString()),
            windows => windows.Where(w => w.Id == id), "No such maintenance window.",
            (MaintenanceWindow window, PortalDbContext db) =>
            {
                db.MaintenanceWindows.Remove(window);
                return ChangeOutcome.Save(new ChangeRecord("maintenance.deleted", new { window.EndpointId, window.StartsAt, window.EndsAt }), ToView(window));
            }, ct);

    private static Dictionary<string, string[]> Error(string field, string message) => new() { [field] = [message] };

    internal static MaintenanceWindowView ToView(MaintenanceWindow w) => new(w.Id, w.EndpointId, w.StartsAt, w.EndsAt, w.Reason, w.CreatedBy);
}
