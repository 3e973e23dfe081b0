using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Data;

namespace Portal.Notifications;

/// <summary>
/// Announces inference keys that expire within <see cref="NotificationOptions.KeyExpiryNoticeDays"/> days. It runs
/// hourly and publishes every such key each time: the notice's key (the API key and its expiry) lets each channel
/// hear of it once, and a channel added later still hears of it.
/// </summary>
public sealed class KeyExpiryJob(IDbContextFactory<PortalDbContext> dbFactory, TenantNotices notices, IOptions<NotificationOptions> options, TimeProvider clock)
{
    public const string JobId = "notification-key-expiry";

    [AutomaticRetry(Attempts = 2)]
    public async Task RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var horizon = now.AddDays(options.Value.KeyExpiryNoticeDays);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var keys = await db.ApiKeys.AsNoTracking()
            .Where(k => k.RevokedAt == null && k.RotatedToId == null && k.ExpiresAt != null && k.ExpiresAt > now && k.ExpiresAt <= horizon)
            .Select(k => new { k.Id, k.TenantId, k.Name, k.Prefix, ExpiresAt = k.ExpiresAt!.Value })
            .ToListAsync(ct);
        foreach (var key in keys)
        {
            var days = Math.Max(1, (int)Math.Ceiling((key.ExpiresAt - now).TotalDays));
            notices.Publish(new TenantNotice(key.TenantId, TenantNoticeKind.KeyExpiring, $"key.expiring:{key.Id:n}:{key.ExpiresAt.UtcTicks}",
                $"API key \"{key.Name}\" expires in {days} day{(days == 1 ? "" : "s")}",
                $"The key {key.Prefix}… stops working on {key.ExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC. Rotate it on the API keys page before then.",
                now)
            {
                Link = "/api-keys",
                Data = new { keyId = key.Id, name = key.Name, prefix = key.Prefix, expiresAt = key.ExpiresAt },
            });
        }
    }
}
