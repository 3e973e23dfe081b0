using Portal.Core.Sla;

namespace Portal.Core.Tests.Sla;

internal static class SlaTestData
{
    public static readonly Guid Target = Guid.Parse("00000000-0000-0000-0000-00000000051a");
    public static readonly SlaOptions Options = new();

    /// <summary>April 2026: 30 days, 43,200 minutes.</summary>
    public static readonly SlaMonth April = new(2026, 4);

    public static DateTimeOffset Utc(int month, int day, int hour, int minute, int second = 0) =>
        new(2026, month, day, hour, minute, second, TimeSpan.Zero);

    /// <summary>One probe every 30 s over [from, to), failing where <paramref name="fails"/> says so.</summary>
    public static IEnumerable<ProbeResult> Probes(DateTimeOffset from, DateTimeOffset to, Func<DateTimeOffset, bool> fails)
    {
        for (var time = from; time < to; time += TimeSpan.FromSeconds(30))
        {
            yield return new ProbeResult(Target, time, !fails(time));
        }
    }

    public static ProbeResult Fail(DateTimeOffset time) => new(Target, time, false);

    public static ProbeResult Ok(DateTimeOffset time) => new(Target, time, true);
}
