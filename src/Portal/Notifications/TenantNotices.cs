using System.Text.Json;
using Hangfire;
using Portal.Health;

namespace Portal.Notifications;

/// <summary>
/// Where every part of the portal hands over something a tenant should hear about. Delivery happens in background
/// jobs, never on the caller's path: today one signed POST to each of the tenant's webhooks.
/// </summary>
public sealed class TenantNotices(IBackgroundJobClient jobs)
{
    public Task PublishAsync(TenantNotice notice, CancellationToken cancellationToken = default)
    {
        var body = JsonSerializer.Serialize(new
        {
            type = notice.Kind.WireName(),
            notice = new
            {
                key = notice.Key,
                tenantId = notice.TenantId,
                title = notice.Title,
                text = notice.Text,
                link = notice.Link,
                occurredAt = notice.OccurredAt,
                data = notice.Data,
            },
        }, JsonSerializerOptions.Web);
        jobs.Enqueue<IncidentAlerts>(a => a.FanOutAsync(notice.TenantId, body, CancellationToken.None));
        return Task.CompletedTask;
    }
}
