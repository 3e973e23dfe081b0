using System.Text;
using Hangfire;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Email;
using Portal.Health;

namespace Portal.Notifications;

/// <summary>
/// Sends deliveries: one notice at once, or the held notices of one channel as one digest. Every attempt is written to
/// the delivery's row (the log the console shows); a failed one is tried again on <see cref="NotificationOptions.RetryDelays"/>
/// through a scheduled job, and after the last it stays failed.
/// </summary>
public sealed class NotificationSender(
    IDbContextFactory<PortalDbContext> dbFactory, IBackgroundJobClient jobs, IHttpClientFactory httpClients, IDataProtectionProvider protection,
    EmailSender emailSender, NotificationMessages messages, WebhookDelivery webhooks, IOptionsMonitor<NotificationOptions> options,
    TimeProvider clock, ILogger<NotificationSender> logger)
{
    // The retries are this class's own scheduled jobs, so Hangfire does not retry on top of them.
    [AutomaticRetry(Attempts = 0)]
    public async Task DeliverAsync(long deliveryId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.NotificationDeliveries.SingleOrDefaultAsync(d => d.Id == deliveryId, ct) is not { } delivery
            || delivery.Status is not (NotificationDeliveryStatus.Pending or NotificationDeliveryStatus.Retrying))
        {
            return; // Sent, failed for good or held for the digest: nothing to do.
        }

        await AttemptAsync(db, [delivery], ct);
    }

    /// <summary>
    /// Tries to send <paramref name="deliveries"/> (all of one channel: one, or a digest) and records the outcome on each.
    /// Returns the error, or null when sent.
    /// </summary>
    public async Task<string?> AttemptAsync(PortalDbContext db, IReadOnlyList<NotificationDelivery> deliveries, CancellationToken ct)
    {
        var first = deliveries[0];
        string? error;
        try
        {
            await SendAsync(db, first.ChannelType, first.ChannelId, deliveries, ct);
            error = null;
        }
        catch (Exception e) when (e is HttpRequestException or EmailNotSentException or TaskCanceledException or ChannelGoneException
                                       or System.Security.Cryptography.CryptographicException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("Notification delivery {Id} to {Type} channel {Channel} failed: {Error}", first.Id, first.ChannelType, first.ChannelId, e.Message);
            error = e is TaskCanceledException ? "The receiver did not answer in time." : e.Message;
        }

        var now = clock.GetUtcNow();
        var delays = options.CurrentValue.RetryDelays();
        foreach (var delivery in deliveries)
        {
            delivery.Attempts++;
            delivery.LastAttemptAt = now;
            delivery.LastError = error is null ? null : error.Length > 500 ? error[..500] : error;
            if (error is null)
            {
                delivery.Status = NotificationDeliveryStatus.Sent;
                delivery.SentAt = now;
                delivery.InDigest = deliveries.Count > 1 || delivery.ReleaseAt is not null;
            }
            else if (delivery.Status != NotificationDeliveryStatus.Held)
            {
                delivery.Status = delivery.Attempts > delays.Count || first.Kind == "test" || error == ChannelGoneException.Text
                    ? NotificationDeliveryStatus.Failed : NotificationDeliveryStatus.Retrying;
            }
            else if (delivery.Attempts > delays.Count || error == ChannelGoneException.Text)
            {
                delivery.Status = NotificationDeliveryStatus.Failed; // A digest that never got through, or has nowhere to go.
            }
        }

        await db.SaveChangesAsync(ct);
        if (deliveries is [{ Status: NotificationDeliveryStatus.Retrying } retrying])
        {
            jobs.Schedule<NotificationSender>(s => s.DeliverAsync(retrying.Id, CancellationToken.None), delays[retrying.Attempts - 1]);
        }

        return error;
    }

    private async Task SendAsync(PortalDbContext db, string channelType, Guid channelId, IReadOnlyList<NotificationDelivery> notices, CancellationToken ct)
    {
        var tenantId = notices[0].TenantId;
        if (channelType == NotificationRouter.WebhookChannel)
        {
            var webhook = await db.Webhooks.AsNoTracking().SingleOrDefaultAsync(w => w.Id == channelId && w.TenantId == tenantId, ct)
                ?? throw new ChannelGoneException();
            await webhooks.PostAsync(webhook, NotificationMessages.Webhook(notices[0]), ct);
            return;
        }

        var channel = await db.NotificationChannels.AsNoTracking().SingleOrDefaultAsync(c => c.Id == channelId && c.TenantId == tenantId, ct)
            ?? throw new ChannelGoneException();
        if (channel.Type == NotificationChannelType.Chat)
        {
            var url = protection.CreateProtector(NotificationChannels.UrlPurpose).Unprotect(channel.ProtectedUrl!);
            using var content = new StringContent(messages.Chat(notices), Encoding.UTF8, "application/json");
            // The guarded client refuses inward addresses and follows no redirect; the answer's body is never read.
            using var response = await httpClients.CreateClient(NotificationChannels.ChatHttpClientName)
                .PostAsync(new Uri(url), content, ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"The chat webhook answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }

            return;
        }

        var recipients = channel.ToTenantAdmins ? await AdminAddressesAsync(db, tenantId, ct) : NotificationChannels.Addresses(channel.EmailTo);
        if (recipients.Count == 0)
        {
            throw new EmailNotSentException("The tenant has no admin with a confirmed email address to write to.");
        }

        foreach (var to in recipients)
        {
            await emailSender.SendAsync(messages.Email(to, notices), ct);
        }
    }

    private static async Task<IReadOnlyList<string>> AdminAddressesAsync(PortalDbContext db, Guid tenantId, CancellationToken ct) =>
        await db.Memberships.AsNoTracking()
            .Where(m => m.TenantId == tenantId && m.Role == TenantRole.TenantAdmin && !m.Disabled)
            .Join(db.Users.AsNoTracking(), m => m.UserId, u => u.Id, (m, u) => u)
            .Where(u => u.Email != null && u.EmailConfirmed)
            .Select(u => u.Email!)
            .ToListAsync(ct);

    private sealed class ChannelGoneException() : Exception(Text)
    {
        public const string Text = "The channel was removed before the notice could be sent.";
    }
}
