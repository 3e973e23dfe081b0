namespace Portal.Core.Latency;

/// <summary>
/// The two levels rollups are kept at: minutes, and hours (each the merge of its minutes, keyed by the hour's start).
/// A long window reads its whole hours from the hour level and only its edges from minutes, so a 30-day window merges
/// about 720 histograms per key instead of 43,200, with the same counts and the same histogram.
/// </summary>
public static class RollupLevels
{
    public static TimeSpan Hour { get; } = TimeSpan.FromHours(1);

    /// <summary>The key of the hour holding <paramref name="minute"/>'s minute.</summary>
    public static RollupKey HourOf(RollupKey minute) => minute with { MinuteStart = UtcTime.Floor(minute.MinuteStart, Hour) };

    /// <summary>Folds minute rollups into one rollup per hour and key, oldest first; the inputs are not changed.</summary>
    public static IReadOnlyList<MinuteRollup> ToHours(IEnumerable<MinuteRollup> minutes)
    {
        ArgumentNullException.ThrowIfNull(minutes);
        var hours = new Dictionary<RollupKey, MinuteRollup>();
        foreach (var minute in minutes)
        {
            var key = HourOf(minute.Key);
            if (!hours.TryGetValue(key, out var hour))
            {
                hours[key] = hour = new MinuteRollup(key);
            }

            hour.Absorb(minute);
        }

        return [.. hours.Values.OrderBy(h => h.Key.MinuteStart)];
    }

    /// <summary>
    /// Which level answers which part of [<paramref name="from"/>, <paramref name="to"/>) when a reader needs
    /// <paramref name="resolution"/> (its chart bucket): whole hours come from the hour level when the resolution is a
    /// whole number of hours, everything else from minutes.
    /// </summary>
    public static RollupReadPlan Plan(DateTimeOffset from, DateTimeOffset to, TimeSpan resolution)
    {
        if (to < from)
        {
            throw new ArgumentException("A time range ends after it starts.", nameof(to));
        }

        if (resolution <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(resolution), resolution, "A resolution is positive.");
        }

        var firstHour = UtcTime.Floor(from, Hour);
        if (firstHour < from)
        {
            firstHour += Hour;
        }

        var endHour = UtcTime.Floor(to, Hour);
        return resolution.Ticks % Hour.Ticks != 0 || endHour <= firstHour
            ? new RollupReadPlan(from, to, to, to)
            : new RollupReadPlan(from, to, firstHour, endHour);
    }
}

/// <summary>
/// How a window [<see cref="From"/>, <see cref="To"/>) is read: hour rollups starting in [<see cref="HoursFrom"/>,
/// <see cref="HoursTo"/>), minute rollups starting in [<see cref="From"/>, <see cref="HoursFrom"/>) and
/// [<see cref="HoursTo"/>, <see cref="To"/>). Without whole hours, HoursFrom = HoursTo = To: all minutes.
/// </summary>
public sealed record RollupReadPlan(DateTimeOffset From, DateTimeOffset To, DateTimeOffset HoursFrom, DateTimeOffset HoursTo)
{
    public bool ReadsHours => HoursTo > HoursFrom;

    /// <summary>Whether a minute rollup starting at <paramref name="minuteStart"/> is read from the minute level.</summary>
    public bool ReadsMinute(DateTimeOffset minuteStart) =>
        minuteStart >= From && minuteStart < To && (minuteStart < HoursFrom || minuteStart >= HoursTo);
}
