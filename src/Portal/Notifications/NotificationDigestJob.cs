using Hangfire;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Hosting;

namespace Portal.Notifications;

/// <summary>
/// Every minute: sends the notices whose quiet hours (or digest hour) have passed as one digest per channel, and
/// hands any delivery the router saved but never handed to its job (the instance stopped in between) to the sender.
/// One instance at a time, so a digest goes out once.
/// </summary>
public sealed class NotificationDigestJob(
    IDbContextFactory<PortalDbContext> dbFactory, NotificationSender sender, IBackgroundJobClient jobs, JobStorage jobStorage, TimeProvider clock)
{
    public const string JobId = "notification-digests";

    [AutomaticRetry(Attempts = 0)]
    public Task RunAsync(CancellationToken ct) =>
        OneInstanceAtATime.RunAsync(jobStorage, "notifications:digests", () => RunAtAsync(clock.GetUtcNow(), ct));

    public async Task RunAtAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var due = await db.NotificationDeliveries
            .Where(d => d.Status == NotificationDeliveryStatus.Held && d.ReleaseAt <= now)
            .OrderBy(d => d.OccurredAt).ThenBy(d => d.Id)
            .ToListAsync(ct);
        foreach (var channel in due.GroupBy(d => d.ChannelId))
        {
            await sender.AttemptAsync(db, channel.ToList(), ct);
        }

        var stranded = now.AddMinutes(-5);
        foreach (var id in await db.NotificationDeliveries
                     .Where(d => d.Status == NotificationDeliveryStatus.Pending && d.Attempts == 0 && d.CreatedAt < stranded)
                     .Select(d => d.Id).Take(500).ToListAsync(ct))
        {
            jobs.Enqueue<NotificationSender>(s => s.DeliverAsync(id, CancellationToken.None));
        }
    }
}
