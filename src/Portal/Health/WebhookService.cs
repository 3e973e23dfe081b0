using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
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
    IDbContextFactory<PortalDbContext> dbFactory, TenantChangeRunner changes, IDataProtectionProvider protection, QuotaService quotas, OutboundGuard outbound,
    TimeProvider clock)
{
    private static readonly ChangePermission Permission = new(AccessPolicy.CanChange, "Only admins and developers manage webhooks");

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

    public Task<ServiceResult<CreatedWebhook>> CreateAsync(Caller caller, Guid tenantId, WebhookRequest request, CancellationToken ct = default) =>
        changes.RunAsync(Change(caller, tenantId, "webhook.create", request.Url ?? ""), async db =>
        {
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
            db.Webhooks.Add(hook);
            return ChangeOutcome.Save(new ChangeRecord("webhook.created", new { hook.Url }) { ResourceId = hook.Id.ToString() },
                new CreatedWebhook(hook.Id, hook.Url, secret));
        }, ct);

    public Task<ServiceResult<WebhookView>> DeleteAsync(Caller caller, Guid tenantId, Guid id, CancellationToken ct = default) =>
        changes.RunAsync(Change(caller, tenantId, "webhook.delete", id.ToString()), hooks => hooks.Where(w => w.Id == id), "No such webhook.",
            (WebhookSubscription hook, PortalDbContext db) =>
            {
                db.Webhooks.Remove(hook);
                return ChangeOutcome.Save(new ChangeRecord("webhook.deleted", new { hook.Url }), new WebhookView(hook.Id, hook.Url, hook.CreatedAt, hook.CreatedBy));
            }, ct);

    private static TenantChange Change(Caller caller, Guid tenantId, string action, string resource) =>
        new(caller, tenantId, Permission, action, "webhook", resource);
}
