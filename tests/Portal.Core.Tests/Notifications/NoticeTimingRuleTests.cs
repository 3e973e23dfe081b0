using Portal.Core.Notifications;

namespace Portal.Core.Tests.Notifications;

public sealed class NoticeTimingRuleTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    // 22:00–07:00 in Berlin; in December Berlin is UTC+1.
    private static readonly NoticeSchedule Nights = new(Berlin, new TimeOnly(22, 0), new TimeOnly(7, 0), false, 8, false);

    [Fact]
    public void NoQuietHoursAndNoDigest_SendsAtOnce()
    {
        var timing = NoticeTimingRule.Decide(NoticeSchedule.Immediate, isIncident: false, At("2026-12-07T03:00:00Z"));

        Assert.False(timing.Held);
    }

    [Fact]
    public void InsideQuietHoursAcrossMidnight_IsHeldUntilTheyEndInTheTenantsZone()
    {
        // 23:30 in Berlin: held until 07:00 Berlin the next morning, 06:00 UTC.
        var timing = NoticeTimingRule.Decide(Nights, isIncident: false, At("2026-12-07T22:30:00Z"));

        Assert.Equal(At("2026-12-08T06:00:00Z"), timing.ReleaseAt);
    }

    [Fact]
    public void AfterMidnightInsideQuietHours_IsReleasedTheSameMorning()
    {
        // 02:00 in Berlin.
        var timing = NoticeTimingRule.Decide(Nights, isIncident: false, At("2026-12-08T01:00:00Z"));

        Assert.Equal(At("2026-12-08T06:00:00Z"), timing.ReleaseAt);
    }

    [Theory]
    [InlineData("2026-12-07T20:59:59Z")] // 21:59:59 Berlin
    [InlineData("2026-12-08T06:00:00Z")] // 07:00 Berlin: quiet hours have ended
    [InlineData("2026-12-08T11:00:00Z")]
    public void OutsideQuietHours_SendsAtOnce(string now)
    {
        Assert.False(NoticeTimingRule.Decide(Nights, isIncident: false, At(now)).Held);
    }

    [Fact]
    public void QuietHoursStartAreInclusive()
    {
        Assert.True(NoticeTimingRule.Decide(Nights, isIncident: false, At("2026-12-07T21:00:00Z")).Held);
    }

    [Fact]
    public void QuietHoursWithinOneDay_HoldOnlyBetweenThem()
    {
        var lunch = new NoticeSchedule(TimeZoneInfo.Utc, new TimeOnly(12, 0), new TimeOnly(13, 30), false, 8, false);

        Assert.Equal(At("2026-12-07T13:30:00Z"), NoticeTimingRule.Decide(lunch, false, At("2026-12-07T12:10:00Z")).ReleaseAt);
        Assert.False(NoticeTimingRule.Decide(lunch, false, At("2026-12-07T11:59:00Z")).Held);
        Assert.False(NoticeTimingRule.Decide(lunch, false, At("2026-12-07T23:00:00Z")).Held);
    }

    [Fact]
    public void IncidentsMarkedAlwaysSend_PassThroughQuietHours_OtherKindsAreStillHeld()
    {
        var schedule = Nights with { IncidentsAlwaysSend = true };
        var now = At("2026-12-07T23:00:00Z");

        Assert.False(NoticeTimingRule.Decide(schedule, isIncident: true, now).Held);
        Assert.True(NoticeTimingRule.Decide(schedule, isIncident: false, now).Held);
        Assert.True(NoticeTimingRule.Decide(Nights, isIncident: true, now).Held);
    }

    [Fact]
    public void DigestOnly_HoldsEverythingForTheNextDigestHour()
    {
        var digest = new NoticeSchedule(Berlin, null, null, DigestOnly: true, DigestHour: 9, IncidentsAlwaysSend: false);

        // 10:00 Berlin: past today's digest, so tomorrow's at 09:00 Berlin (08:00 UTC).
        Assert.Equal(At("2026-12-08T08:00:00Z"), NoticeTimingRule.Decide(digest, false, At("2026-12-07T09:00:00Z")).ReleaseAt);
        // 06:00 Berlin: today's.
        Assert.Equal(At("2026-12-07T08:00:00Z"), NoticeTimingRule.Decide(digest, false, At("2026-12-07T05:00:00Z")).ReleaseAt);
    }

    [Fact]
    public void NextLocal_SkippedByTheSpringClockChange_HappensAtTheFirstValidMinute()
    {
        // Berlin skips 02:00–03:00 on 2026-03-29; 02:30 local becomes 03:00 CEST = 01:00 UTC.
        var release = NoticeTimingRule.NextLocal(Berlin, At("2026-03-28T23:00:00Z"), new TimeOnly(2, 30));

        Assert.Equal(At("2026-03-29T01:00:00Z"), release);
    }

    [Theory]
    [InlineData(22, 0, 7, 0, 23, 59, true)]
    [InlineData(22, 0, 7, 0, 6, 59, true)]
    [InlineData(22, 0, 7, 0, 7, 0, false)]
    [InlineData(1, 0, 5, 0, 0, 59, false)]
    [InlineData(1, 0, 5, 0, 1, 0, true)]
    public void InQuietHours_IncludesTheStartAndExcludesTheEnd(int sh, int sm, int eh, int em, int h, int m, bool expected)
    {
        Assert.Equal(expected, NoticeTimingRule.InQuietHours(new TimeOnly(sh, sm), new TimeOnly(eh, em), new TimeOnly(h, m)));
    }

    [Fact]
    public void Validate_NamesEachProblem()
    {
        Assert.Empty(NoticeSchedule.Validate(new TimeOnly(22, 0), new TimeOnly(7, 0), 8));
        Assert.Empty(NoticeSchedule.Validate(null, null, 0));
        Assert.Contains("quietEnd", NoticeSchedule.Validate(new TimeOnly(22, 0), null, 8).Keys);
        Assert.Contains("quietEnd", NoticeSchedule.Validate(new TimeOnly(22, 0), new TimeOnly(22, 0), 8).Keys);
        Assert.Contains("digestHour", NoticeSchedule.Validate(null, null, 24).Keys);
    }

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);
}
