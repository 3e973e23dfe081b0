using System.Globalization;

namespace Portal.Notifications;

/// <summary>The "Notifications" section.</summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";

    /// <summary>Seconds between a failed delivery and its next attempt, comma-separated; after the last, it is failed.</summary>
    public string RetryDelaysSeconds { get; set; } = "30,120,600,1800,7200,21600";

    /// <summary>How long before its expiry a key is announced.</summary>
    public int KeyExpiryNoticeDays { get; set; } = 7;

    public IReadOnlyList<TimeSpan> RetryDelays() =>
        RetryDelaysSeconds.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => TimeSpan.FromSeconds(double.Parse(s, CultureInfo.InvariantCulture))).ToList();

    public bool IsValid() =>
        KeyExpiryNoticeDays is >= 1 and <= 90
        && RetryDelaysSeconds.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .All(s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0);
}
