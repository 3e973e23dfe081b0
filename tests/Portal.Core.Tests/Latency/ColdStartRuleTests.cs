using Portal.Core.Latency;

namespace Portal.Core.Tests.Latency;

public sealed class ColdStartRuleTests
{
    private static readonly ColdStartRule _rule = ColdStartRule.Default;
    private static readonly DateTimeOffset _noon = Samples.Noon;

    [Theory]
    [InlineData(4999, false)]
    [InlineData(5000, false)]
    [InlineData(5000.5, true)]
    [InlineData(5001, true)]
    public void IsColdStart_IsStrictlyAboveFiveSeconds(double ttftMs, bool expected)
    {
        Assert.Equal(expected, _rule.IsColdStart(ttftMs));
        Assert.Equal(expected, _rule.IsColdStart(TimeSpan.FromMilliseconds(ttftMs)));
    }

    [Fact]
    public void IsColdStart_UsesAConfiguredThreshold()
    {
        var rule = _rule with { Threshold = TimeSpan.FromSeconds(2) };

        Assert.True(rule.IsColdStart(2001));
        Assert.False(rule.IsColdStart(2000));
    }

    [Fact]
    public void ANonPositiveThreshold_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ColdStartRule(TimeSpan.Zero, TimeSpan.FromMinutes(5)));

    [Fact]
    public void FollowedIdleGap_CountsAGapOfExactlyTheConfiguredLength()
    {
        Assert.True(_rule.FollowedIdleGap(_noon, _noon - TimeSpan.FromMinutes(5)));
        Assert.False(_rule.FollowedIdleGap(_noon, _noon - TimeSpan.FromMinutes(5) + TimeSpan.FromTicks(1)));
        Assert.True(_rule.FollowedIdleGap(_noon, null));
    }

    [Fact]
    public void FindEvents_ReportsSlowProductionRequestsAndWhetherTheyFollowedAnIdleGap()
    {
        var samples = new[]
        {
            Samples.At(_noon, ttftMs: 300),
            Samples.At(_noon.AddMinutes(10), ttftMs: 12_000),
            Samples.At(_noon.AddMinutes(11), ttftMs: 5001),
            Samples.At(_noon.AddMinutes(12), ttftMs: 5000),
        };

        var events = _rule.FindEvents(samples);

        Assert.Equal(2, events.Count);
        Assert.True(events[0].FollowedIdleGap);
        Assert.Equal(TimeSpan.FromMinutes(10), events[0].IdleBefore);
        Assert.Equal(12_000, events[0].TtftMs);
        Assert.False(events[1].FollowedIdleGap);
    }

    [Fact]
    public void FindEvents_IgnoresProbeAndShadowTtftsButLetsThemKeepTheTargetWarm()
    {
        var samples = new[]
        {
            Samples.At(_noon, ttftMs: 9000, traffic: TrafficKind.Probe),
            Samples.At(_noon.AddMinutes(1), ttftMs: 9000, traffic: TrafficKind.Shadow),
            Samples.At(_noon.AddMinutes(2), ttftMs: 9000),
            Samples.At(_noon.AddMinutes(2), ttftMs: 9000, target: Samples.OtherTarget),
        };

        var events = _rule.FindEvents(samples);

        Assert.Equal(2, events.Count);
        Assert.False(events.Single(e => e.TargetId == Samples.Target).FollowedIdleGap);
        Assert.True(events.Single(e => e.TargetId == Samples.OtherTarget).FollowedIdleGap);
    }

    [Theory]
    [InlineData(120, 3, 40L)]
    [InlineData(100, 3, 33L)]
    [InlineData(5, 5, 1L)]
    [InlineData(100, 0, null)]
    public void OneIn_IsRequestsPerEventRounded(long requests, long events, long? expected) =>
        Assert.Equal(expected, ColdStartRule.OneIn(requests, events));
}
