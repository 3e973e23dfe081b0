using System.Globalization;
using System.Net.Mail;
using Portal.Core.Notifications;

namespace Portal.Notifications;

/// <summary>What a notification channel or settings request must hold before anything is stored: one message per field.</summary>
public static class NotificationRequests
{
    /// <summary>Field errors of a settings request (empty when valid), with its quiet hours parsed.</summary>
    public static Dictionary<string, string[]> ValidateSettings(NotificationSettingsView request, out TimeOnly? start, out TimeOnly? end)
    {
        var errors = new Dictionary<string, string[]>();
        start = ParseTime(request.QuietStart, "quietStart", errors);
        end = ParseTime(request.QuietEnd, "quietEnd", errors);
        if (string.IsNullOrWhiteSpace(request.TimeZone) || !TimeZoneInfo.TryFindSystemTimeZoneById(request.TimeZone.Trim(), out _))
        {
            errors["timeZone"] = ["Give an IANA time zone, such as Europe/Berlin, America/New_York or UTC."];
        }

        if (errors.Count == 0)
        {
            foreach (var (field, messages) in NoticeSchedule.Validate(start, end, request.DigestHour))
            {
                errors[field] = messages;
            }
        }

        return errors;
    }

    private static TimeOnly? ParseTime(string? value, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (TimeOnly.TryParseExact(value.Trim(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time;
        }

        errors[field] = ["Give a local time as HH:mm, such as 22:00."];
        return null;
    }

    /// <summary>Field errors of a channel request; on an update only the fields it gives are checked.</summary>
    public static Dictionary<string, string[]> Validate(NotificationChannelRequest request, bool creating)
    {
        var errors = new Dictionary<string, string[]>();
        if (creating || request.Name is not null)
        {
            if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Trim().Length > 100)
            {
                errors["name"] = ["Give the channel a name of at most 100 characters."];
            }
        }

        if (creating && request.Type?.Trim() is not ("email" or "chat"))
        {
            errors["type"] = ["The type is \"email\" or \"chat\" (a Slack-compatible incoming webhook)."];
        }

        if (request.Kinds is { } kinds)
        {
            var unknown = kinds.Where(k => TenantNoticeKinds.FromWireName(k) is null).ToList();
            if (unknown.Count > 0 || kinds.Count == 0)
            {
                errors["kinds"] = [$"Choose at least one of {string.Join(", ", TenantNoticeKinds.All.Select(k => k.WireName()))}"
                                   + (unknown.Count > 0 ? $"; not known: {string.Join(", ", unknown)}." : ".")];
            }
        }

        if (request.EmailTo is { } addresses)
        {
            var bad = addresses.Where(a => !MailAddress.TryCreate(a?.Trim(), out var parsed) || parsed.Address != a.Trim() || a.Contains(',')).ToList();
            if (bad.Count > 0 || addresses.Count > 20)
            {
                errors["emailTo"] = [bad.Count > 0 ? $"Not an email address: {string.Join(", ", bad)}." : "At most 20 addresses per channel."];
            }
        }

        return errors;
    }
}
