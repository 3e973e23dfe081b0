using System.Text.Json;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Notifications;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.Notifications;

/// <summary>
/// Turns one notice into one delivery per channel that receives its kind (and per signed webhook, which receives
/// every kind at once): each is a row under the unique (channel, notice key), so a second publish, a retry or another
/// instance adds nothing. Rows held by quiet hours wait for the digest; the others are sent by their own job.
/// </summary>
public sealed class NotificationRouter(IDbContextFactory<PortalDbContext> dbFactory, IBackgroundJobClient jobs, TimeProvider clock)
{
    public const string WebhookChannel = "webhook";

    [AutomaticRetry(Attempts = 8, DelaysInSeconds = [2, 5, 15, 30, 60, 120, 300, 600])]
    public async Task RouteAsync(string noticeJson, CancellationToken ct)
    {
        var notice = JsonSerializer.Deserialize<RoutedNotice>(noticeJson, JsonSerializerOptions.Web)
            ?? throw new ArgumentException("Not a notice.", nameof(noticeJson));
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var tenantId = notice.TenantId;
        var settings = await db.NotificationSettings.AsNoTracking().SingleOrDefaultAsync(s => s.TenantId == tenantId, ct);
        var timing = NoticeTimingRule.Decide(NotificationSchedules.From(settings), notice.Kind.IsIncident(), now);
        var wire = notice.Kind.WireName();

        var targets = new List<(Guid Id, string Type, bool MayHold)>();
        targets.AddRange((await db.Webhooks.AsNoTracking().Where(w => w.TenantId == tenantId).Select(w => w.Id).ToListAsync(ct))
            .Select(id => (id, WebhookChannel, false)));
        targets.AddRange((await db.NotificationChannels.AsNoTracking().Where(c => c.TenantId == tenantId).ToListAsync(ct))
            .Where(c => NotificationKinds.Parse(c.Kinds).Contains(notice.Kind))
            .Select(c => (c.Id, NotificationChannels.TypeName(c.Type), true)));
        var routed = await db.NotificationDeliveries.Where(d => d.TenantId == tenantId && d.NoticeKey == notice.Key)
            .Select(d => d.ChannelId).ToListAsync(ct);

        foreach (var (channelId, type, mayHold) in targets.Where(t => !routed.Contains(t.Id)))
        {
            var held = mayHold && timing.Held;
            var delivery = new NotificationDelivery
            {
                TenantId = tenantId, ChannelId = channelId, ChannelType = type, Kind = wire, NoticeKey = notice.Key, Title = notice.Title,
                Text = notice.Text, Link = notice.Link, Data = notice.Data, OccurredAt = notice.OccurredAt, CreatedAt = now,
                Status = held ? NotificationDeliveryStatus.Held : NotificationDeliveryStatus.Pending, ReleaseAt = held ? timing.ReleaseAt : null,
            };
            db.NotificationDeliveries.Add(delivery);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another instance or an earlier try routed it to this channel first.
                db.ChangeTracker.Clear();
                continue;
            }

            if (!held)
            {
                jobs.Enqueue<NotificationSender>(s => s.DeliverAsync(delivery.Id, CancellationToken.None));
            }
        }
    }
}

/// <summary>A tenant's settings as the timing rule reads them.</summary>
public static class NotificationSchedules
{
    public static NoticeSchedule From(NotificationSettings? settings)
    {
        if (settings is null)
        {
            return NoticeSchedule.Immediate;
        }

        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(settings.TimeZone, out var found) ? found : TimeZoneInfo.Utc;
        return new NoticeSchedule(zone, ToTime(settings.QuietStartMinute), ToTime(settings.QuietEndMinute), settings.DigestOnly, settings.DigestHour,
            settings.IncidentsAlwaysSend);
    }

    public static TimeOnly? ToTime(int? minute) => minute is { } m ? new TimeOnly(m / 60, m % 60) : null;
}

/// <summary>The kinds a channel receives, stored as wire names.</summary>
public static class NotificationKinds
{
    public static IReadOnlySet<TenantNoticeKind> Parse(string stored) =>
        stored.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(TenantNoticeKinds.FromWireName).OfType<TenantNoticeKind>().ToHashSet();

    public static string Format(IEnumerable<TenantNoticeKind> kinds) => string.Join(',', kinds.Distinct().Order().Select(k => k.WireName()));
}
