using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Portal.Data.Entities;
using Portal.Email;

namespace Portal.Notifications;

/// <summary>The words of notices in each channel's form: an email, a chat message, a signed webhook's JSON body.</summary>
public sealed class NotificationMessages(IOptionsMonitor<EmailOptions> email, PortalLinks links)
{
    private string PortalName => email.CurrentValue.PortalName;

    public OutgoingEmail Email(string to, IReadOnlyList<NotificationDelivery> notices)
    {
        var subject = notices.Count == 1 ? $"[{PortalName}] {notices[0].Title}" : $"[{PortalName}] Digest: {notices.Count} notices";
        var text = new StringBuilder();
        var html = new StringBuilder("<!doctype html><html><body style=\"font-family: sans-serif; line-height: 1.5\">");
        if (notices.Count > 1)
        {
            text.AppendLine($"{notices.Count} notices held during quiet hours, oldest first:").AppendLine();
            html.Append("<p>").Append(Encode($"{notices.Count} notices held during quiet hours, oldest first:")).Append("</p>");
        }

        foreach (var notice in notices)
        {
            var link = links.To(notice.Link ?? "/");
            text.AppendLine(notice.Title).AppendLine(notice.Text).AppendLine($"{At(notice)} · {link}").AppendLine();
            html.Append("<p><b>").Append(Encode(notice.Title)).Append("</b><br>").Append(Encode(notice.Text)).Append("<br>")
                .Append(Encode(At(notice))).Append(" · <a href=\"").Append(Encode(link)).Append("\">").Append(Encode(link)).Append("</a></p>");
        }

        var footnote = $"You receive this because a {PortalName} admin of your organisation added this address to a notification channel.";
        text.AppendLine(footnote).AppendLine().AppendLine($"— {PortalName}");
        html.Append("<p style=\"color: #555\">").Append(Encode(footnote)).Append("</p><p>— ").Append(Encode(PortalName)).Append("</p></body></html>");
        return new OutgoingEmail(to, subject, text.ToString(), html.ToString());
    }

    /// <summary>A Slack-compatible incoming-webhook body: <c>{"text": …}</c>, which every compatible receiver reads.</summary>
    public string Chat(IReadOnlyList<NotificationDelivery> notices)
    {
        var text = new StringBuilder();
        if (notices.Count > 1)
        {
            text.AppendLine($"{PortalName} digest: {notices.Count} notices held during quiet hours");
        }

        foreach (var notice in notices)
        {
            text.AppendLine($"{(notices.Count > 1 ? "• " : "")}{notice.Title}").AppendLine(notice.Text).AppendLine($"{At(notice)} · {links.To(notice.Link ?? "/")}");
        }

        return JsonSerializer.Serialize(new { text = text.ToString().TrimEnd() }, JsonSerializerOptions.Web);
    }

    /// <summary>
    /// The signed webhook's body: <c>type</c> and <c>notice</c>; an incident's also carries <c>incident</c>, the shape
    /// webhook receivers had before notices existed.
    /// </summary>
    public static string Webhook(NotificationDelivery delivery)
    {
        var data = delivery.Data is null ? null : JsonNode.Parse(delivery.Data);
        var body = new JsonObject
        {
            ["type"] = delivery.Kind,
            ["notice"] = new JsonObject
            {
                ["key"] = delivery.NoticeKey,
                ["tenantId"] = delivery.TenantId,
                ["title"] = delivery.Title,
                ["text"] = delivery.Text,
                ["link"] = delivery.Link,
                ["occurredAt"] = delivery.OccurredAt,
                ["data"] = data,
            },
        };
        if (delivery.Kind.StartsWith("incident.", StringComparison.Ordinal) && data is not null)
        {
            body["incident"] = data.DeepClone();
        }

        return body.ToJsonString(JsonSerializerOptions.Web);
    }

    private static string At(NotificationDelivery notice) => $"{notice.OccurredAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
