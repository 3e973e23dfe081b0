namespace Portal.Core.Notifications;

/// <summary>
/// A tenant's rules for when its people are told: quiet hours (local <see cref="QuietStart"/> to <see cref="QuietEnd"/>,
/// across midnight when the start is later than the end) and/or a daily digest at <see cref="DigestHour"/>.
/// </summary>
/// <param name="DigestOnly">Every notice waits for the daily digest at <see cref="DigestHour"/>, quiet hours or not.</param>
/// <param name="IncidentsAlwaysSend">Incident opened and resolved are never held.</param>
public sealed record NoticeSchedule(
    TimeZoneInfo Zone, TimeOnly? QuietStart, TimeOnly? QuietEnd, bool DigestOnly, int DigestHour, bool IncidentsAlwaysSend)
{
    /// <summary>No quiet hours, no digest: everything is sent at once.</summary>
    public static NoticeSchedule Immediate { get; } = new(TimeZoneInfo.Utc, null, null, false, 8, false);

    public bool HasQuietHours => QuietStart is { } start && QuietEnd is { } end && start != end;

    /// <summary>The problems of a schedule as given, by field; empty when it can be saved.</summary>
    public static Dictionary<string, string[]> Validate(TimeOnly? quietStart, TimeOnly? quietEnd, int digestHour)
    {
        var errors = new Dictionary<string, string[]>();
        if (quietStart.HasValue != quietEnd.HasValue)
        {
            errors["quietEnd"] = ["Give both the start and the end of quiet hours, or neither."];
        }
        else if (quietStart is { } start && start == quietEnd)
        {
            errors["quietEnd"] = ["Quiet hours must end at another time than they start."];
        }

        if (digestHour is < 0 or > 23)
        {
            errors["digestHour"] = ["The digest hour is a whole hour from 0 to 23."];
        }

        return errors;
    }
}

/// <summary>What to do with one notice now: send it, or hold it for the digest sent at <see cref="ReleaseAt"/>.</summary>
public sealed record NoticeTiming(DateTimeOffset? ReleaseAt)
{
    public static NoticeTiming SendNow { get; } = new((DateTimeOffset?)null);

    public bool Held => ReleaseAt is not null;
}

/// <summary>
/// Whether a notice goes out at once or waits for the digest. Held notices are released together, as one digest per
/// channel, at the end of the quiet hours they fell into (or at the daily digest hour when the tenant chose
/// "digest only"). Incidents skip both when the tenant marked them "always send".
/// </summary>
public static class NoticeTimingRule
{
    public static NoticeTiming Decide(NoticeSchedule schedule, bool isIncident, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (isIncident && schedule.IncidentsAlwaysSend)
        {
            return NoticeTiming.SendNow;
        }

        if (schedule.DigestOnly)
        {
            return new NoticeTiming(NextLocal(schedule.Zone, now, new TimeOnly(schedule.DigestHour, 0)));
        }

        if (!schedule.HasQuietHours)
        {
            return NoticeTiming.SendNow;
        }

        var local = TimeOnly.FromTimeSpan(TimeZoneInfo.ConvertTime(now, schedule.Zone).TimeOfDay);
        return InQuietHours(schedule.QuietStart!.Value, schedule.QuietEnd!.Value, local)
            ? new NoticeTiming(NextLocal(schedule.Zone, now, schedule.QuietEnd.Value))
            : NoticeTiming.SendNow;
    }

    /// <summary>From <paramref name="start"/> (inclusive) to <paramref name="end"/> (exclusive), across midnight when start &gt; end.</summary>
    public static bool InQuietHours(TimeOnly start, TimeOnly end, TimeOnly local) =>
        start < end ? local >= start && local < end : local >= start || local < end;

    /// <summary>
    /// The first moment after <paramref name="now"/> when the wall clock of <paramref name="zone"/> shows
    /// <paramref name="at"/>. A time skipped by a clock change happens at the first valid minute after it.
    /// </summary>
    public static DateTimeOffset NextLocal(TimeZoneInfo zone, DateTimeOffset now, TimeOnly at)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var localNow = TimeZoneInfo.ConvertTime(now, zone);
        var day = DateOnly.FromDateTime(localNow.DateTime);
        for (var i = 0; i < 3; i++)
        {
            var candidate = day.AddDays(i).ToDateTime(at, DateTimeKind.Unspecified);
            while (zone.IsInvalidTime(candidate))
            {
                candidate = candidate.AddMinutes(1);
            }

            // An ambiguous time (the clock set back) is taken at its first occurrence.
            var offset = zone.IsAmbiguousTime(candidate) ? zone.GetAmbiguousTimeOffsets(candidate).Max() : zone.GetUtcOffset(candidate);
            var instant = new DateTimeOffset(candidate, offset);
            if (instant > now)
            {
                return instant.ToUniversalTime();
            }
        }

        throw new InvalidOperationException("No next local time within three days.");
    }
}
