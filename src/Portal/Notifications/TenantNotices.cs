using System.Text.Json;
using Hangfire;

namespace Portal.Notifications;

/// <summary>
/// Where every part of the portal hands over something a tenant should hear about. Publishing only enqueues the
/// routing job (<see cref="NotificationRouter"/>): nothing is sent on the caller's path, and a notice published twice
/// under the same key is told once per channel.
/// </summary>
public sealed class TenantNotices(IBackgroundJobClient jobs)
{
    public Task PublishAsync(TenantNotice notice, CancellationToken cancellationToken = default)
    {
        Publish(notice);
        return Task.CompletedTask;
    }

    public void Publish(TenantNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var routed = RoutedNotice.From(notice);
        var json = JsonSerializer.Serialize(routed, JsonSerializerOptions.Web);
        jobs.Enqueue<NotificationRouter>(r => r.RouteAsync(json, CancellationToken.None));
    }
}

/// <summary>A notice as the routing job receives it: its facts already JSON, so the job's arguments stay plain text.</summary>
public sealed record RoutedNotice(
    Guid TenantId, TenantNoticeKind Kind, string Key, string Title, string Text, DateTimeOffset OccurredAt, string? Link, string? Data)
{
    public static RoutedNotice From(TenantNotice notice) => new(
        notice.TenantId, notice.Kind, Clip(notice.Key, 200), Clip(notice.Title, 300), Clip(notice.Text, 2000), notice.OccurredAt, notice.Link,
        notice.Data is null ? null : JsonSerializer.Serialize(notice.Data, JsonSerializerOptions.Web));

    private static string Clip(string value, int length) => value.Length > length ? value[..length] : value;
}
