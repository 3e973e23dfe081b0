using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Portal.Audit;
using Portal.Core.Quotas;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Gateway.Outbound;
using Portal.Identity;
using Portal.Quotas;
using Portal.Tenancy;

namespace Portal.Health;

/// <summary>A tenant's alert webhooks. The signing secret is generated here, shown once, stored encrypted; changes are audited.</summary>
public sealed class WebhookService(
    IDbContextFactory<PortalDbContext> dbFactory, TenantGuard guard, IDataProtectionProvider protection, AuditLog auditLog, QuotaService quotas, OutboundGuard outbound,
    TimeProvider clock)
{
    public async Task<ServiceResult<IReadOnlyList<WebhookView>>> ListAsync(Caller caller, Guid tenantId, CancellationToken ct = default)
    {
        if (caller.In(tenantId) is null)
        {
            return ServiceResult<IReadOnlyList<WebhookView>>.NotFound("No such tenant.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var hooks = await db.Webhooks.AsNoTracking().Where(w => w.TenantId == tenantId).OrderBy(w => w.CreatedAt).ToListAsync(ct);
        return ServiceResult<IReadOnlyList<WebhookView>>.Ok(hooks.Select(w => new WebhookView(w.Id, w.Url, w.CreatedAt, w.CreatedBy)).ToList());
    }

    public async Task<ServiceResult<CreatedWebhook>> CreateAsync(Caller caller, Guid tenantId, WebhookRequest request, CancellationToken ct = default)
    {
        if (await guard.RequireAsync<CreatedWebhook>(caller, tenantId, AccessPolicy.CanChange, "Only admins and developers manage webhooks",
                "webhook.create", "webhook", request.Url ?? "", ct) is { } refused)
        {
            return refused;
        }

        if (await quotas.CheckCountAsync(caller, tenantId, QuotaKind.Webhooks, "url", "webhook.create", "webhook", request.Url ?? "", ct) is { } overQuota)
        {
            return ServiceResult<CreatedWebhook>.Invalid(overQuota);
        }

        if (!Uri.TryCreate(request.Url?.Trim(), UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http") || url.OriginalString.Length > 400)
        {
            return ServiceResult<CreatedWebhook>.Invalid("url", "Give an absolute https:// URL (at most 400 characters) that accepts POST requests.");
        }

        if (await outbound.CheckAsync(url, ct) is { } refusedAddress)
        {
            return ServiceResult<CreatedWebhook>.Invalid("url", OutboundGuard.Explain(refusedAddress));
        }

        var secret = "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var hook = new WebhookSubscription
        {
            TenantId = tenantId, Url = url.ToString(), ProtectedSecret = protection.CreateProtector(WebhookDelivery.SecretPurpose).Protect(secret),
            CreatedAt = clock.GetUtcNow(), CreatedBy = caller.Name,
        };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.Webhooks.Add(hook);
        await db.SaveChangesAsync(ct);
        await auditLog.RecordAsync(caller, tenantId, "webhook.created", "webhook", hook.Id.ToString(), details: new { hook.Url }, cancellationToken: ct);
        return ServiceResult<CreatedWebhook>.Ok(new CreatedWebhook(hook.Id, hook.Url, secret));
    }

    public async Task<ServiceResult<WebhookView>> DeleteAsync(Caller caller, Guid tenantId, Guid id, CancellationToken ct = default)
    {
        if (await guard.RequireAsync<WebhookView>(caller, tenantId, AccessPolicy.CanChange, "Only admins and developers manage webhooks",
                "webhook.delete", "webhook", id.ToString(), ct) is { } refused)
        {
            return refused;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Webhooks.SingleOrDefaultAsync(w => w.Id == id && w.TenantId == tenantId, ct) is not { } hook)
        {
            return ServiceResult<WebhookView>.NotFound("No such webhook.");
        }

        db.Webhooks.Remove(hook);
        await db.SaveChangesAsync(ct);
        await auditLog.RecordAsync(caller, tenantId, "webhook.deleted", "webhook", id.ToString(), details: new { hook.Url }, cancellationToken: ct);
        return ServiceResult<WebhookView>.Ok(new WebhookView(hook.Id, hook.Url, hook.CreatedAt, hook.CreatedBy));
    }
}
