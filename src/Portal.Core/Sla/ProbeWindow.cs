namespace Portal.Core.Sla;

/// <summary>
/// Probe windows: the time line cut into probe intervals aligned to the Unix epoch. A probe's window id is
/// ⌊(time − epoch) ÷ interval⌋; one result per target and window counts, so a retried or re-delivered probe is not
/// counted twice.
/// </summary>
public static class ProbeWindow
{
    public static long Id(DateTimeOffset time, TimeSpan interval)
    {
        EnsureInterval(interval);
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return ticks >= 0 ? ticks / interval.Ticks : -((-ticks + interval.Ticks - 1) / interval.Ticks);
    }

    /// <summary>Start of window <paramref name="id"/> (UTC).</summary>
    public static DateTimeOffset Start(long id, TimeSpan interval)
    {
        EnsureInterval(interval);
        return DateTimeOffset.UnixEpoch + TimeSpan.FromTicks(id * interval.Ticks);
    }

    internal static void EnsureInterval(TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "A probe interval is positive.");
        }
    }
}
