using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Audit;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Identity;
using Portal.Tenancy;

namespace Portal.Support;

public sealed record TenantSummary(Guid Id, string Name, string Slug, int Members, DateTimeOffset? LookInUntil);

/// <summary>
/// Support staff see the fleet, not a tenant's pages. Opening a tenant needs a reason, lasts a limited time, and is
/// written to that tenant's own audit log, where its admins and auditors see it.
/// </summary>
public sealed class LookInService(IDbContextFactory<PortalDbContext> dbFactory, AuditLog auditLog, IOptions<AuditOptions> options, TimeProvider clock)
{
    public const int MinReasonLength = 10;

    public async Task<ServiceResult<IReadOnlyList<TenantSummary>>> ListTenantsAsync(Caller caller, CancellationToken ct = default)
    {
        if (!caller.IsSupport)
        {
            return ServiceResult<IReadOnlyList<TenantSummary>>.Forbidden("Only platform support staff see the fleet.");
        }

        var now = clock.GetUtcNow();
        var userId = Guid.Parse(caller.Subject);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var tenants = await db.Tenants.AsNoTracking().Where(t => t.DeletedAt == null).OrderBy(t => t.Name)
            .Select(t => new TenantSummary(t.Id, t.Name, t.Slug, t.Members.Count(m => !m.Disabled),
                db.SupportLookIns.Where(l => l.TenantId == t.Id && l.SupportUserId == userId && l.ExpiresAt > now)
                    .Max(l => (DateTimeOffset?)l.ExpiresAt)))
            .ToListAsync(ct);
        return ServiceResult<IReadOnlyList<TenantSummary>>.Ok(tenants);
    }

    public async Task<ServiceResult<SupportLookIn>> StartAsync(Caller caller, Guid tenantId, string? reason, CancellationToken ct = default)
    {
        if (!caller.IsSupport)
        {
            await auditLog.RecordAsync(caller, tenantId, "support.look_in", "tenant", tenantId.ToString(), Core.Audit.AuditOutcome.Denied,
                "Not platform support staff.", cancellationToken: ct);
            return ServiceResult<SupportLookIn>.Forbidden("Only platform support staff can look into a tenant.");
        }

        reason = reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length < MinReasonLength)
        {
            return ServiceResult<SupportLookIn>.Invalid("reason", $"Give the reason for looking in ({MinReasonLength}+ characters), e.g. the ticket number.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Tenants.AnyAsync(t => t.Id == tenantId && t.DeletedAt == null, ct))
        {
            return ServiceResult<SupportLookIn>.NotFound("No such tenant.");
        }

        var now = clock.GetUtcNow();
        var lookIn = new SupportLookIn
        {
            SupportUserId = Guid.Parse(caller.Subject),
            TenantId = tenantId,
            Reason = reason,
            StartedAt = now,
            ExpiresAt = now.AddMinutes(options.Value.LookInMinutes),
        };
        db.SupportLookIns.Add(lookIn);
        await db.SaveChangesAsync(ct);
        await auditLog.RecordAsync(caller, tenantId, "support.look_in", "tenant", tenantId.ToString(), reason: reason,
            details: new { until = lookIn.ExpiresAt }, cancellationToken: ct);
        return ServiceResult<SupportLookIn>.Ok(lookIn);
    }
}
