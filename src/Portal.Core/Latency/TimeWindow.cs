using System.Diagnostics.CodeAnalysis;

namespace Portal.Core.Latency;

/// <summary>
/// The look-back windows the dashboards offer, each with the time-series bucket size its charts use
/// (p50/p99 over time, heatmaps): 1 h → 1 min, 24 h → 15 min, 7 d → 1 h, 30 d → 6 h (60, 96, 168, 120 buckets).
/// </summary>
public sealed record TimeWindow
{
    private TimeWindow(string name, TimeSpan length, TimeSpan bucketSize)
    {
        Name = name;
        Length = length;
        BucketSize = bucketSize;
    }

    public static TimeWindow OneHour { get; } = new("1h", TimeSpan.FromHours(1), TimeSpan.FromMinutes(1));

    public static TimeWindow OneDay { get; } = new("24h", TimeSpan.FromHours(24), TimeSpan.FromMinutes(15));

    public static TimeWindow SevenDays { get; } = new("7d", TimeSpan.FromDays(7), TimeSpan.FromHours(1));

    public static TimeWindow ThirtyDays { get; } = new("30d", TimeSpan.FromDays(30), TimeSpan.FromHours(6));

    /// <summary>All windows, shortest first.</summary>
    public static IReadOnlyList<TimeWindow> All { get; } = [OneHour, OneDay, SevenDays, ThirtyDays];

    /// <summary>The short name used in URLs and query strings: <c>1h</c>, <c>24h</c>, <c>7d</c>, <c>30d</c>.</summary>
    public string Name { get; }

    public TimeSpan Length { get; }

    /// <summary>Suggested time-series bucket; buckets are aligned to the Unix epoch in UTC.</summary>
    public TimeSpan BucketSize { get; }

    /// <summary>Parses <c>1h</c>, <c>24h</c>, <c>7d</c> or <c>30d</c> (case-insensitive, surrounding spaces ignored).</summary>
    /// <exception cref="FormatException">Any other text.</exception>
    public static TimeWindow Parse(string? text) => TryParse(text, out var window)
        ? window
        : throw new FormatException($"Unknown time window '{text}'; use one of {string.Join(", ", All.Select(w => w.Name))}.");

    public static bool TryParse(string? text, [NotNullWhen(true)] out TimeWindow? window)
    {
        var trimmed = text?.Trim();
        window = All.FirstOrDefault(w => string.Equals(w.Name, trimmed, StringComparison.OrdinalIgnoreCase));
        return window is not null;
    }

    /// <summary>The window's start when it ends at <paramref name="end"/>: [end − length, end).</summary>
    public DateTimeOffset StartFor(DateTimeOffset end) => end - Length;

    /// <summary>
    /// Starts of the buckets covering [end − length, end): the first bucket is the one containing the window's start,
    /// so the first and last buckets may be partial.
    /// </summary>
    public IReadOnlyList<DateTimeOffset> BucketStarts(DateTimeOffset end) => TimeBuckets.Starts(StartFor(end), end, BucketSize);

    public override string ToString() => Name;
}
