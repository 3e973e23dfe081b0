using System.Text;
using System.Text.Json;
using Hangfire;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Sla;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.Health;

/// <summary>Turns opened and resolved incidents into one signed webhook delivery per subscription of the tenant.</summary>
public sealed class IncidentAlerts(IDbContextFactory<PortalDbContext> dbFactory, IBackgroundJobClient jobs)
{
    public void Enqueue(IEnumerable<IncidentRecord> incidents, string type)
    {
        foreach (var incident in incidents)
        {
            var body = JsonSerializer.Serialize(new
            {
                type,
                incident = new
                {
                    id = incident.Id,
                    tenantId = incident.TenantId,
                    scope = incident.Scope.ToString(),
                    title = incident.Title,
                    affectedEndpoints = incident.AffectedEndpoints.Split(", ", StringSplitOptions.RemoveEmptyEntries),
                    startedAt = incident.StartedAt,
                    endedAt = incident.EndedAt,
                },
            }, JsonSerializerOptions.Web);
            jobs.Enqueue<IncidentAlerts>(a => a.FanOutAsync(incident.TenantId, body, CancellationToken.None));
        }
    }

    /// <summary>
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
            throw new HttpRequestException($"Webhook {webhookId} answered {(int)response.StatusCode}; the delivery will be retried.");
        }
    }
}
