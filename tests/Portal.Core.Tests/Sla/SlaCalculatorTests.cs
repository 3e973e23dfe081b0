using Portal.Core.Sla;
using static Portal.Core.Tests.Sla.SlaTestData;

namespace Portal.Core.Tests.Sla;

public sealed class SlaCalculatorTests
{
    private static MonthlyUptime April(IEnumerable<ProbeResult> probes, params UtcInterval[] maintenance) =>
        SlaCalculator.Monthly(SlaTestData.April, probes, maintenance, Options);

    [Theory]
    [InlineData(2026, 2, 40_320)]
    [InlineData(2028, 2, 41_760)]
    [InlineData(2026, 4, 43_200)]
    [InlineData(2026, 1, 44_640)]
    public void MinutesInMonth_FollowTheUtcCalendar(int year, int month, int minutes) =>
        Assert.Equal(minutes, new SlaMonth(year, month).Minutes);

    [Fact]
    public void NoFailures_IsAHundredPercent()
    {
        var result = April(Probes(Utc(4, 1, 0, 0), Utc(5, 1, 0, 0), _ => false));

        Assert.Equal(100m, result.UptimePercent);
        Assert.Empty(result.DownIntervals);
    }

    [Fact]
    public void ASingleFailure_IsNotDowntime()
    {
        var result = April([Ok(Utc(4, 10, 10, 0)), Fail(Utc(4, 10, 10, 1)), Ok(Utc(4, 10, 10, 2))]);

        Assert.Equal(0m, result.DownMinutes);
        Assert.Equal(100m, result.UptimePercent);
    }

    [Fact]
    public void TwoConsecutiveFailures_AreDownFromTheFirstUntilTheNextSuccess()
    {
        var result = April([Fail(Utc(4, 10, 10, 0)), Fail(Utc(4, 10, 10, 0, 30)), Ok(Utc(4, 10, 10, 1))]);

        Assert.Equal(1m, result.DownMinutes);
        Assert.Equal(100m * (1m - 1m / 43_200m), result.UptimePercent);
        Assert.Equal(new UtcInterval(Utc(4, 10, 10, 0), Utc(4, 10, 10, 1)), Assert.Single(result.DownIntervals));
    }

    [Fact]
    public void FortyThreePointTwoMinutesDownInThirtyDays_IsExactlyThreeNines()
    {
        var outageStart = Utc(4, 10, 10, 0);
        var outageEnd = outageStart.AddMinutes(43.2);

        var result = April(Probes(Utc(4, 10, 9, 0), Utc(4, 10, 12, 0), time => time >= outageStart && time < outageEnd));

        Assert.Equal(43.5m, result.DownMinutes); // probes every 30 s: the next success after 10:43:12 is 10:43:30
        var exact = April([Fail(outageStart), Fail(outageStart.AddSeconds(30)), Ok(outageEnd)]);
        Assert.Equal(43.2m, exact.DownMinutes);
        Assert.Equal(99.9m, exact.UptimePercent);
    }

    [Fact]
    public void DowntimeInsideMaintenance_IsExcludedButTheMonthKeepsAllItsMinutes()
    {
        var probes = new[] { Fail(Utc(4, 10, 2, 0)), Fail(Utc(4, 10, 2, 0, 30)), Ok(Utc(4, 10, 3, 0)) };

        var result = April(probes, new UtcInterval(Utc(4, 10, 1, 0), Utc(4, 10, 4, 0)));

        Assert.Equal(0m, result.DownMinutes);
        Assert.Equal(43_200m, result.MinutesInMonth);
        Assert.Equal(100m, result.UptimePercent);
    }

    [Fact]
    public void DowntimePartlyInMaintenance_CountsOnlyTheRestAndOverlappingWindowsOnce()
    {
        // Down 02:00–03:00; maintenance 02:30–02:50 and 02:40–03:10 together cover 02:30–03:00.
        var probes = new[] { Fail(Utc(4, 10, 2, 0)), Fail(Utc(4, 10, 2, 0, 30)), Ok(Utc(4, 10, 3, 0)) };

        var result = April(
            probes,
            new UtcInterval(Utc(4, 10, 2, 30), Utc(4, 10, 2, 50)),
            new UtcInterval(Utc(4, 10, 2, 40), Utc(4, 10, 3, 10)));

        Assert.Equal(30m, result.DownMinutes);
    }

    [Fact]
    public void AnIncidentStillOpenAtMonthEnd_IsDownUntilTheMonthEnds()
    {
        var result = April([Ok(Utc(4, 30, 23, 49)), Fail(Utc(4, 30, 23, 50)), Fail(Utc(4, 30, 23, 50, 30)), Fail(Utc(4, 30, 23, 59, 30))]);

        Assert.Equal(10m, result.DownMinutes);
        Assert.Equal(new UtcInterval(Utc(4, 30, 23, 50), Utc(5, 1, 0, 0)), Assert.Single(result.DownIntervals));
    }

    [Fact]
    public void AnOpenIncidentInTheCurrentMonth_IsDownUntilNow()
    {
        var probes = new[] { Fail(Utc(4, 10, 10, 0)), Fail(Utc(4, 10, 10, 0, 30)) };

        var result = SlaCalculator.Monthly(SlaTestData.April, probes, [], Options, asOf: Utc(4, 10, 10, 5));

        Assert.Equal(5m, result.DownMinutes);
        Assert.Equal(43_200m, result.MinutesInMonth);
    }

    [Fact]
    public void AnIncidentThatBeganLastMonth_CountsFromTheMonthStart()
    {
        var probes = new[] { Fail(Utc(3, 31, 23, 59)), Fail(Utc(3, 31, 23, 59, 30)), Ok(Utc(4, 1, 0, 2)) };

        var result = April(probes);

        Assert.Equal(2m, result.DownMinutes);
    }

    [Fact]
    public void ADuplicatedProbeResult_IsNotCountedTwice()
    {
        // The second failure is a re-delivery inside the same 30-s probe window: still a single failure.
        var probes = new[] { Fail(Utc(4, 10, 10, 0)), Fail(Utc(4, 10, 10, 0, 10)), Ok(Utc(4, 10, 10, 0, 30)) };

        Assert.Equal(0m, April(probes).DownMinutes);
    }

    [Fact]
    public void ProbesOfSeveralTargets_AreRefused() =>
        Assert.Throws<ArgumentException>(() => April([Fail(Utc(4, 1, 0, 0)), new ProbeResult(Guid.NewGuid(), Utc(4, 1, 0, 1), false)]));
}
