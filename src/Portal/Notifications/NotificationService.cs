using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Notifications;
using Portal.Core.Quotas;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Gateway.Outbound;
using Portal.Identity;
using Portal.Quotas;
using Portal.Tenancy;

namespace Portal.Notifications;

/// <summary>
/// A tenant's notification channels, quiet hours and delivery log. Members read them; only TenantAdmins change them,
/// every change audited (a chat URL never enters the record). Chat URLs pass the outbound guard and are stored encrypted.
/// </summary>
public sealed class NotificationService(
    IDbContextFactory<PortalDbContext> dbFactory, TenantChangeRunner changes, IDataProtectionProvider protection, QuotaService quotas,
    OutboundGuard outbound, NotificationSender sender, TimeProvider clock)
{
    private const string ResourceType = "notification-channel";
    private static readonly ChangePermission Permission = new(AccessPolicy.CanManageNotifications, "Only TenantAdmins manage notifications");

    public async Task<ServiceResult<IReadOnlyList<NotificationChannelView>>> ListAsync(Caller caller, Guid tenantId, CancellationToken ct = default)
    {
        if (caller.In(tenantId) is null)
        {
            return ServiceResult<IReadOnlyList<NotificationChannelView>>.NotFound("No such tenant.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var channels = await db.NotificationChannels.AsNoTracking().Where(c => c.TenantId == tenantId).OrderBy(c => c.CreatedAt).ToListAsync(ct);
        return ServiceResult<IReadOnlyList<NotificationChannelView>>.Ok(channels.Select(NotificationChannelView.From).ToList());
    }

    public Task<ServiceResult<NotificationChannelView>> CreateAsync(Caller caller, Guid tenantId, NotificationChannelRequest request, CancellationToken ct = default) =>
        changes.RunAsync(Change(caller, tenantId, "notification-channel.create", request.Name ?? "") with { InputErrors = NotificationRequests.Validate(request, creating: true) },
            async db =>
            {
                if (await quotas.CheckCountAsync(caller, tenantId, QuotaKind.Webhooks, "name", "notification-channel.create", ResourceType,
                        request.Name ?? "", ct) is { } overQuota)
                {
                    return ServiceResult<NotificationChannelView>.Invalid(overQuota);
                }

                var channel = new NotificationChannel
                {
                    TenantId = tenantId, Name = request.Name!.Trim(), Kinds = "", CreatedAt = clock.GetUtcNow(), CreatedBy = caller.Name,
                    Type = request.Type!.Trim() == "chat" ? NotificationChannelType.Chat : NotificationChannelType.Email,
                };
                if (await ApplyAsync(channel, request, ct) is { } refused)
                {
                    return refused;
                }

                db.NotificationChannels.Add(channel);
                return ChangeOutcome.Save(new ChangeRecord("notification-channel.created", Details(channel)) { ResourceId = channel.Id.ToString() },
                    NotificationChannelView.From(channel));
            }, ct);

    public Task<ServiceResult<NotificationChannelView>> UpdateAsync(
        Caller caller, Guid tenantId, Guid id, NotificationChannelRequest request, CancellationToken ct = default) =>
        changes.RunAsync(Change(caller, tenantId, "notification-channel.update", id.ToString()) with { InputErrors = NotificationRequests.Validate(request, creating: false) },
            channels => channels.Where(c => c.Id == id), "No such channel.",
            async (NotificationChannel channel, PortalDbContext _) =>
            {
                if (request.Type is { } type && type.Trim() != NotificationChannels.TypeName(channel.Type))
                {
                    return ServiceResult<NotificationChannelView>.Invalid("type", "A channel's type cannot change; add a new channel instead.");
                }

                if (await ApplyAsync(channel, request, ct) is { } refused)
                {
                    return refused;
                }

                channel.UpdatedAt = clock.GetUtcNow();
                channel.UpdatedBy = caller.Name;
                return ChangeOutcome.Save(new ChangeRecord("notification-channel.updated", Details(channel)), NotificationChannelView.From(channel));
            }, ct);

    public Task<ServiceResult<NotificationChannelView>> DeleteAsync(Caller caller, Guid tenantId, Guid id, CancellationToken ct = default) =>
        changes.RunAsync(Change(caller, tenantId, "notification-channel.delete", id.ToString()), channels => channels.Where(c => c.Id == id),
            "No such channel.",
            (NotificationChannel channel, PortalDbContext db) =>
            {
                db.NotificationChannels.Remove(channel);
                return ChangeOutcome.Save(new ChangeRecord("notification-channel.deleted", Details(channel)), NotificationChannelView.From(channel));
            }, ct);

    /// <summary>Sends a test message to the channel now (outside quiet hours' reach) and answers with the attempt's log row.</summary>
    public async Task<ServiceResult<NotificationDeliveryView>> TestAsync(Caller caller, Guid tenantId, Guid id, CancellationToken ct = default)
    {
        var queued = await changes.RunAsync(Change(caller, tenantId, "notification-channel.test", id.ToString()), channels => channels.Where(c => c.Id == id),
            "No such channel.",
            (NotificationChannel channel, PortalDbContext db) =>
            {
                var now = clock.GetUtcNow();
                var delivery = new NotificationDelivery
                {
                    TenantId = tenantId, ChannelId = channel.Id, ChannelType = NotificationChannels.TypeName(channel.Type), Kind = "test",
                    NoticeKey = $"test:{Guid.NewGuid():n}", Title = $"Test message for \"{channel.Name}\"",
                    Text = $"{caller.Name} sent this test from the Notifications page. If you can read it, the channel works.",
                    Link = "/health/notifications", OccurredAt = now, CreatedAt = now, Status = NotificationDeliveryStatus.Pending,
                };
                db.NotificationDeliveries.Add(delivery);
                return ChangeOutcome.Save(new ChangeRecord("notification-channel.tested", new { channel.Name }),
                    () => Task.FromResult(ServiceResult<long>.Ok(delivery.Id)));
            }, ct);
        if (!queued.Succeeded)
        {
            return new ServiceResult<NotificationDeliveryView>(queued.Status, null, queued.Message, queued.Errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var delivery = await db.NotificationDeliveries.SingleAsync(d => d.Id == queued.Value, ct);
        await sender.AttemptAsync(db, [delivery], ct);
        var channel = await db.NotificationChannels.AsNoTracking().Where(c => c.Id == id).Select(c => c.Name).SingleOrDefaultAsync(ct);
        return ServiceResult<NotificationDeliveryView>.Ok(View(delivery, channel));
    }

    /// <summary>The newest deliveries first, with their outcome and the last error.</summary>
    public async Task<ServiceResult<IReadOnlyList<NotificationDeliveryView>>> DeliveriesAsync(Caller caller, Guid tenantId, int limit = 100, CancellationToken ct = default)
    {
        if (caller.In(tenantId) is null)
        {
            return ServiceResult<IReadOnlyList<NotificationDeliveryView>>.NotFound("No such tenant.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.NotificationDeliveries.AsNoTracking().Where(d => d.TenantId == tenantId)
            .OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Take(Math.Clamp(limit, 1, 500)).ToListAsync(ct);
        var names = await db.NotificationChannels.AsNoTracking().Where(c => c.TenantId == tenantId).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        foreach (var (hookId, url) in await db.Webhooks.AsNoTracking().Where(w => w.TenantId == tenantId).Select(w => new { w.Id, w.Url })
                     .ToDictionaryAsync(w => w.Id, w => w.Url, ct))
        {
            names[hookId] = new Uri(url).Host;
        }

        return ServiceResult<IReadOnlyList<NotificationDeliveryView>>.Ok(rows.Select(d => View(d, names.GetValueOrDefault(d.ChannelId))).ToList());
    }

    public async Task<ServiceResult<NotificationSettingsView>> GetSettingsAsync(Caller caller, Guid tenantId, CancellationToken ct = default)
    {
        if (caller.In(tenantId) is null)
        {
            return ServiceResult<NotificationSettingsView>.NotFound("No such tenant.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return ServiceResult<NotificationSettingsView>.Ok(View(await db.NotificationSettings.AsNoTracking().SingleOrDefaultAsync(s => s.TenantId == tenantId, ct)));
    }

    public Task<ServiceResult<NotificationSettingsView>> SetSettingsAsync(Caller caller, Guid tenantId, NotificationSettingsView request, CancellationToken ct = default)
    {
        var errors = NotificationRequests.ValidateSettings(request, out var start, out var end);
        return changes.RunAsync(new TenantChange(caller, tenantId, Permission, "notification-settings.set", "notification-settings", tenantId.ToString())
        {
            InputErrors = errors,
        }, async db =>
        {
            var settings = await db.NotificationSettings.SingleOrDefaultAsync(s => s.TenantId == tenantId, ct);
            if (settings is null)
            {
                settings = new NotificationSettings { TenantId = tenantId, TimeZone = "UTC", UpdatedBy = caller.Name };
                db.NotificationSettings.Add(settings);
            }

            settings.TimeZone = request.TimeZone.Trim();
            settings.QuietStartMinute = start is { } s ? s.Hour * 60 + s.Minute : null;
            settings.QuietEndMinute = end is { } e ? e.Hour * 60 + e.Minute : null;
            settings.DigestOnly = request.DigestOnly;
            settings.DigestHour = request.DigestHour;
            settings.IncidentsAlwaysSend = request.IncidentsAlwaysSend;
            settings.UpdatedAt = clock.GetUtcNow();
            settings.UpdatedBy = caller.Name;
            var view = View(settings);
            return ChangeOutcome.Save(new ChangeRecord("notification-settings.set", view), view);
        }, ct);
    }

    /// <summary>Fills in what the request gives; a refusal when a chat URL is unusable or an email channel has no one to write to.</summary>
    private async Task<ServiceResult<NotificationChannelView>?> ApplyAsync(NotificationChannel channel, NotificationChannelRequest request, CancellationToken ct)
    {
        if (request.Name is { } name)
        {
            channel.Name = name.Trim();
        }

        channel.Kinds = request.Kinds is { } kinds ? NotificationKinds.Format(kinds.Select(k => TenantNoticeKinds.FromWireName(k)!.Value))
            : channel.Kinds.Length == 0 ? NotificationKinds.Format(TenantNoticeKinds.All) : channel.Kinds;
        if (channel.Type == NotificationChannelType.Email)
        {
            channel.ToTenantAdmins = request.ToTenantAdmins ?? channel.ToTenantAdmins;
            if (request.EmailTo is { } addresses)
            {
                channel.EmailTo = string.Join(',', addresses.Select(a => a.Trim()).Distinct(StringComparer.OrdinalIgnoreCase));
            }

            if (channel.ToTenantAdmins)
            {
                channel.EmailTo = null;
            }

            return channel.ToTenantAdmins || NotificationChannels.Addresses(channel.EmailTo).Count > 0 ? null
                : ServiceResult<NotificationChannelView>.Invalid("emailTo", "List at least one address, or send to the tenant's admins.");
        }

        if (request.Url is null && channel.ProtectedUrl is not null)
        {
            return null; // Kept as stored.
        }

        if (!Uri.TryCreate(request.Url?.Trim(), UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http") || url.OriginalString.Length > 1000)
        {
            return ServiceResult<NotificationChannelView>.Invalid("url",
                "Give the chat's incoming-webhook URL: absolute https://, at most 1000 characters (e.g. https://hooks.slack.com/services/…).");
        }

        if (await outbound.CheckAsync(url, ct) is { } refusedAddress)
        {
            return ServiceResult<NotificationChannelView>.Invalid("url", OutboundGuard.Explain(refusedAddress));
        }

        channel.ProtectedUrl = protection.CreateProtector(NotificationChannels.UrlPurpose).Protect(url.ToString());
        channel.UrlHint = NotificationChannels.Mask(url);
        return null;
    }

    // The chat URL is the credential: only its masked form enters the audit trail.
    private static object Details(NotificationChannel c) => new
    {
        c.Name, type = NotificationChannels.TypeName(c.Type), emailTo = c.EmailTo, c.ToTenantAdmins, url = c.UrlHint, kinds = c.Kinds,
    };

    private static NotificationDeliveryView View(NotificationDelivery d, string? channelName) => new(
        d.Id, d.ChannelId, d.ChannelType, channelName, d.Kind, d.NoticeKey, d.Title, d.Status.ToString(), d.CreatedAt, d.ReleaseAt, d.Attempts,
        d.LastAttemptAt, d.LastError, d.SentAt, d.InDigest);

    private static NotificationSettingsView View(NotificationSettings? s) => s is null
        ? new NotificationSettingsView("UTC", null, null, false, 8, false)
        : NotificationSettingsView.From(s);

    private static TenantChange Change(Caller caller, Guid tenantId, string action, string resource) =>
        new(caller, tenantId, Permission, action, ResourceType, resource);
}
