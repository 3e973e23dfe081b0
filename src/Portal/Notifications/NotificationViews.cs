using System.Globalization;
using Portal.Data.Entities;

namespace Portal.Notifications;

/// <summary>A channel as lists show it: a chat URL only masked.</summary>
public sealed record NotificationChannelView(
    Guid Id, string Name, string Type, IReadOnlyList<string> EmailTo, bool ToTenantAdmins, string? Url, IReadOnlyList<string> Kinds,
    DateTimeOffset CreatedAt, string CreatedBy)
{
    public static NotificationChannelView From(NotificationChannel c) => new(
        c.Id, c.Name, NotificationChannels.TypeName(c.Type), NotificationChannels.Addresses(c.EmailTo), c.ToTenantAdmins, c.UrlHint,
        NotificationKinds.Parse(c.Kinds).Order().Select(k => k.WireName()).ToList(), c.CreatedAt, c.CreatedBy);
}

/// <summary>
/// A channel to add or change. <c>type</c>: <c>email</c> (with <c>emailTo</c> addresses, or <c>toTenantAdmins</c>) or
/// <c>chat</c> (with <c>url</c>, a Slack-compatible incoming webhook; on a change, omit it to keep the stored one).
/// <c>kinds</c>: wire names (<c>incident.opened</c>, …); omitted, every kind.
/// </summary>
public sealed record NotificationChannelRequest(
    string? Name, string? Type, IReadOnlyList<string>? EmailTo, bool? ToTenantAdmins, string? Url, IReadOnlyList<string>? Kinds);

/// <summary>One row of the delivery log.</summary>
public sealed record NotificationDeliveryView(
    long Id, Guid ChannelId, string ChannelType, string? ChannelName, string Kind, string Key, string Title, string Status,
    DateTimeOffset CreatedAt, DateTimeOffset? ReleaseAt, int Attempts, DateTimeOffset? LastAttemptAt, string? LastError, DateTimeOffset? SentAt,
    bool InDigest);

/// <summary>
/// Quiet hours as local <c>HH:mm</c> in <c>timeZone</c> (IANA), both or neither; <c>digestOnly</c> holds every notice
/// for the daily digest at <c>digestHour</c>; <c>incidentsAlwaysSend</c> lets incidents through both.
/// </summary>
public sealed record NotificationSettingsView(
    string TimeZone, string? QuietStart, string? QuietEnd, bool DigestOnly, int DigestHour, bool IncidentsAlwaysSend)
{
    public static NotificationSettingsView From(NotificationSettings s) =>
        new(s.TimeZone, Time(s.QuietStartMinute), Time(s.QuietEndMinute), s.DigestOnly, s.DigestHour, s.IncidentsAlwaysSend);

    private static string? Time(int? minute) => NotificationSchedules.ToTime(minute)?.ToString("HH:mm", CultureInfo.InvariantCulture);
}
