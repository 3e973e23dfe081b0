using System.Globalization;

namespace Portal.Core.Audit;

/// <summary>The chain's one notion of time: UTC, whole milliseconds, ISO-8601 with a <c>Z</c>.</summary>
internal static class AuditTime
{
    public static DateTimeOffset Normalize(DateTimeOffset value)
    {
        var ticks = value.UtcTicks;
        return new DateTimeOffset(ticks - ticks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
    }

    /// <summary>
    /// <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>. A value with sub-millisecond ticks (never produced by sealing, but possible in
    /// an edited store) is written with seven fraction digits, so that no two instants share a text.
    /// </summary>
    public static string Format(DateTimeOffset value)
    {
        var utc = value.UtcDateTime;
        var format = utc.Ticks % TimeSpan.TicksPerMillisecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss.fff'Z'" : "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";
        return utc.ToString(format, CultureInfo.InvariantCulture);
    }

    public static bool TryParse(string? text, out DateTimeOffset value) =>
        DateTimeOffset.TryParseExact(
            text,
            ["yyyy-MM-dd'T'HH:mm:ss.fff'Z'", "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'"],
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out value);
}
