using Portal.Data.Entities;

namespace Portal.Notifications;

public static class NotificationChannels
{
    /// <summary>The Data Protection purpose of chat webhook URLs: the URL is the credential.</summary>
    public const string UrlPurpose = "Portal.Notifications.ChatUrl.v1";

    public const string ChatHttpClientName = "notification-chat";

    public static string TypeName(NotificationChannelType type) => type switch
    {
        NotificationChannelType.Email => "email",
        NotificationChannelType.Chat => "chat",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>What a chat URL may be shown as: scheme and host, then the last four characters.</summary>
    public static string Mask(Uri url) =>
        $"{url.Scheme}://{url.Host}/…{(url.AbsolutePath.Length > 4 ? url.AbsolutePath[^4..] : "")}";

    public static IReadOnlyList<string> Addresses(string? stored) =>
        (stored ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
