using System.Text;
using Hangfire;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Sla;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Notifications;

namespace Portal.Health;

/// <summary>
/// Turns opened and resolved incidents into tenant notices (<see cref="TenantNotices"/>). The notice carries the
/// incident as its <c>incident</c> object, so a signed webhook receives the same body as before notices existed.
/// </summary>
public sealed class IncidentAlerts(IDbContextFactory<PortalDbContext> dbFactory, IBackgroundJobClient jobs, TenantNotices notices)
{
    public void Enqueue(IEnumerable<IncidentRecord> incidents, string type)
    {
        var kind = type == "incident.resolved" ? TenantNoticeKind.IncidentResolved : TenantNoticeKind.IncidentOpened;
        foreach (var incident in incidents)
        {
            var affected = incident.AffectedEndpoints.Split(", ", StringSplitOptions.RemoveEmptyEntries);
            var endpoints = affected.Length == 0 ? "no named endpoint" : string.Join(", ", affected);
            var text = kind == TenantNoticeKind.IncidentOpened
                ? $"Opened {incident.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC; affects {endpoints}."
                : $"Resolved {incident.EndedAt?.UtcDateTime:yyyy-MM-dd HH:mm} UTC after {Duration(incident)}; affected {endpoints}.";
            notices.Publish(new TenantNotice(incident.TenantId, kind, $"{kind.WireName()}:{incident.Id}",
                $"{(kind == TenantNoticeKind.IncidentOpened ? "Incident" : "Resolved")}: {incident.Title}", text, incident.EndedAt ?? incident.StartedAt)
            {
                Link = "/health",
                Data = new
                {
                    id = incident.Id,
                    tenantId = incident.TenantId,
                    scope = incident.Scope.ToString(),
                    title = incident.Title,
                    affectedEndpoints = affected,
                    startedAt = incident.StartedAt,
                    endedAt = incident.EndedAt,
                },
            });
        }
    }

    private static string Duration(IncidentRecord incident)
    {
        var span = (incident.EndedAt ?? incident.StartedAt) - incident.StartedAt;
        return span.TotalHours >= 1 ? $"{(int)span.TotalHours} h {span.Minutes} min" : $"{Math.Max(1, (int)Math.Round(span.TotalMinutes))} min";
    }

    /// <summary>
    /// Jobs enqueued before incidents became notices may still be waiting in the job storage of an upgraded portal.
    /// One delivery job per webhook, so one slow or failing receiver retries on its own. A fan-out that fails (the
    /// database busy) retries on the deliveries' short schedule, not Hangfire's default of a quarter of a minute or more.
    /// </summary>
    [AutomaticRetry(Attempts = 8, DelaysInSeconds = [2, 5, 15, 30, 60, 120, 300, 600])]
    public async Task FanOutAsync(Guid tenantId, string body, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        foreach (var id in await db.Webhooks.Where(w => w.TenantId == tenantId).Select(w => w.Id).ToListAsync(ct))
        {
            jobs.Enqueue<WebhookDelivery>(d => d.DeliverAsync(id, body, CancellationToken.None));
        }
    }
}

/// <summary>POSTs one alert to one webhook, signed at send time; Hangfire retries a failed delivery with back-off.</summary>
public sealed class WebhookDelivery(
    IDbContextFactory<PortalDbContext> dbFactory, IHttpClientFactory httpClients, IDataProtectionProvider protection, TimeProvider clock)
{
    public const string HttpClientName = "webhooks";
    public const string SecretPurpose = "Portal.Webhooks.Secret.v1";

    [AutomaticRetry(Attempts = 8, DelaysInSeconds = [5, 15, 30, 60, 120, 300, 600, 1800])]
    public async Task DeliverAsync(Guid webhookId, string body, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Webhooks.AsNoTracking().SingleOrDefaultAsync(w => w.Id == webhookId, ct) is not { } webhook)
        {
            return; // Deleted since: nothing to deliver.
        }

        await PostAsync(webhook, body, ct);
    }

    /// <summary>One signed POST of <paramref name="body"/>; throws when the receiver does not answer 2xx.</summary>
    public async Task PostAsync(WebhookSubscription webhook, string body, CancellationToken ct)
    {
        var secret = protection.CreateProtector(SecretPurpose).Unprotect(webhook.ProtectedSecret);
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(secret, clock.GetUtcNow(), body));
        // The guarded client refuses inward addresses and follows no redirect (a 3xx is a failed delivery); the answer's
        // body is never read.
        using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The webhook answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        }
    }
}
