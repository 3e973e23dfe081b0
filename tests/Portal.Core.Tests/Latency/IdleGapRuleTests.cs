using Portal.Core.Latency;

namespace Portal.Core.Tests.Latency;

public sealed class IdleGapRuleTests
{
    private static readonly DateTimeOffset _noon = Samples.Noon;

    private static ColdStartSilence At(int minute, double? silenceSeconds, bool duringReload = false) =>
        new(_noon.AddMinutes(minute), silenceSeconds is { } s ? TimeSpan.FromSeconds(s) : null, duringReload);

    [Fact]
    public void Learn_IsTheShortestSilenceBeforeARecentColdStart()
    {
        // Worked example: silences of 7, 5½ and 6 minutes before three cold starts: the provider evicted after at most 5½.
        var learnt = IdleGapRule.Learn([At(10, 420), At(20, 330), At(30, 360)]);

        Assert.Equal(TimeSpan.FromSeconds(330), learnt);
    }

    [Fact]
    public void Learn_NeedsTwoColdStartsThatOpenedASpell()
    {
        Assert.Null(IdleGapRule.Learn([]));
        Assert.Null(IdleGapRule.Learn([At(10, 420)]));
        // The first request ever has no silence before it; it teaches nothing.
        Assert.Null(IdleGapRule.Learn([At(0, null), At(10, 420)]));
    }

    [Fact]
    public void Learn_IgnoresRequestsThatWaitedForAReloadAnotherRequestStarted()
    {
        // A burst after a silence: the first request starts the reload; the next, 0.2 s later, waits for it too.
        var learnt = IdleGapRule.Learn([At(10, 400), At(10, 0.2, duringReload: true), At(20, 380), At(20, 0.1, duringReload: true)]);

        Assert.Equal(TimeSpan.FromSeconds(380), learnt);
    }

    [Fact]
    public void Learn_CountsSparseRequestsThatEachFoundTheModelEvicted()
    {
        // One request every 40 s against a 30 s scale-to-zero: each is a cold start after the previous (cold) one finished.
        var learnt = IdleGapRule.Learn([At(0, null), At(1, 40), At(2, 41)]);

        Assert.Equal(TimeSpan.FromSeconds(40), learnt);
    }

    [Fact]
    public void Learn_IgnoresSilencesShorterThanTheFloor()
    {
        // A slow request 3 s after a warm one was a noisy neighbour, not an eviction.
        var learnt = IdleGapRule.Learn([At(10, 400), At(11, 3), At(20, 380), At(21, IdleGapRule.Floor.TotalSeconds)]);

        Assert.Equal(IdleGapRule.Floor, learnt);
        Assert.Equal(TimeSpan.FromSeconds(380), IdleGapRule.Learn([At(10, 400), At(11, 3), At(20, 380)]));
    }

    [Fact]
    public void Learn_LooksAtTheFiveMostRecentOnly()
    {
        // An hour-long provider setting that was shortened to 5 minutes: the old, long silences fall out of the window.
        var old = Enumerable.Range(0, 3).Select(i => At(i, 30));
        var recent = Enumerable.Range(10, IdleGapRule.Recent).Select(i => At(i, 300 + i));

        Assert.Equal(TimeSpan.FromSeconds(310), IdleGapRule.Learn(old.Concat(recent)));
    }

    [Fact]
    public void Choose_PrefersConfiguredThenLearntThenTheDefault()
    {
        var fallback = TimeSpan.FromMinutes(5);

        Assert.Equal(new IdleGap(TimeSpan.FromMinutes(15), IdleGapSource.Configured),
            IdleGapRule.Choose(TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(2), fallback));
        Assert.Equal(new IdleGap(TimeSpan.FromMinutes(2), IdleGapSource.Learnt), IdleGapRule.Choose(null, TimeSpan.FromMinutes(2), fallback));
        Assert.Equal(new IdleGap(fallback, IdleGapSource.Default), IdleGapRule.Choose(null, null, fallback));
    }

    [Fact]
    public void AColdStartFollowsTheLearntGap_WhenItsSilenceIsAtLeastThatLong()
    {
        var gap = IdleGapRule.Choose(null, IdleGapRule.Learn([At(10, 40), At(20, 45)]), TimeSpan.FromMinutes(5));
        var rule = new ColdStartRule(ColdStartRule.Default.Threshold, gap.Length);

        Assert.True(rule.FollowedIdleGap(_noon, _noon.AddSeconds(-40)));
        Assert.False(rule.FollowedIdleGap(_noon, _noon.AddSeconds(-39)));
    }
}
