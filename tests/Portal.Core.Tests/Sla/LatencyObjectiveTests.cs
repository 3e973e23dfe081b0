using Portal.Core.Latency;
using Portal.Core.Sla;

namespace Portal.Core.Tests.Sla;

public sealed class LatencyObjectiveTests
{
    private static readonly LatencyObjective P99 = new(800, 99, 30);

    private static LatencyCounts None => new(0, 0);

    [Theory]
    [InlineData(99, 0.01)]
    [InlineData(95, 0.05)]
    [InlineData(90, 0.10)]
    public void AllowedShare_IsWhatThePercentileLeavesAbove(int percentile, double share)
    {
        Assert.Equal((decimal)share, new LatencyObjective(800, percentile, 30).AllowedShare);
    }

    [Fact]
    public void Validate_AcceptsTheChoicesOnly_AndNamesEachBadField()
    {
        Assert.Empty(LatencyObjective.Validate(800, 99, 30));
        Assert.Empty(LatencyObjective.Validate(1, 90, 7));
        Assert.Empty(LatencyObjective.Validate(LatencyObjective.MaxThresholdMs, 95, 7));

        var errors = LatencyObjective.Validate(0, 98, 14);
        Assert.Equal(["percentile", "thresholdMs", "windowDays"], errors.Keys.Order());
        Assert.Contains("thresholdMs", LatencyObjective.Validate(LatencyObjective.MaxThresholdMs + 1, 99, 30).Keys);
        Assert.Equal(3, LatencyObjective.Validate(null, null, null).Count);
        Assert.Throws<ArgumentException>(() => LatencyObjective.From(800, 50, 30));
        Assert.Equal("p99 ≤ 800 ms over 30 days", LatencyObjective.From(800, 99, 30).ToString());
    }

    [Fact]
    public void ExactlyTheAllowedShareOver_MeetsTheObjective_WithNoBudgetLeft()
    {
        // 1,000 requests at p99 allow 10 over the threshold; the nearest-rank p99 (the 990th value) is then still within.
        var c = LatencyObjectiveCheck.Evaluate(P99, new LatencyCounts(1000, 10), None, None);

        Assert.True(c.Met);
        Assert.Equal(LatencyObjectiveStatus.Met, c.Status);
        Assert.False(c.Breaching);
        Assert.Equal(10m, c.AllowedOver);
        Assert.Equal(0m, c.BudgetLeft);
        Assert.Equal(1m, c.BudgetUsed);
    }

    [Fact]
    public void OneMoreOverThanAllowed_ExhaustsTheBudget_AndBreaches()
    {
        var c = LatencyObjectiveCheck.Evaluate(P99, new LatencyCounts(1000, 11), None, None);

        Assert.False(c.Met);
        Assert.Equal(LatencyObjectiveStatus.Exhausted, c.Status);
        Assert.True(c.Breaching);
        Assert.Equal(-1m, c.BudgetLeft);
        Assert.Equal(1.1m, c.BudgetUsed);
    }

    [Fact]
    public void BudgetUsed_IsOverDividedByAllowed()
    {
        var c = LatencyObjectiveCheck.Evaluate(new LatencyObjective(500, 95, 7), new LatencyCounts(2000, 25), None, None);

        Assert.Equal(100m, c.AllowedOver);
        Assert.Equal(75m, c.BudgetLeft);
        Assert.Equal(0.25m, c.BudgetUsed);
        Assert.Equal(LatencyObjectiveStatus.Met, c.Status);
    }

    [Fact]
    public void NoRequests_IsNoData_NotABreach()
    {
        var c = LatencyObjectiveCheck.Evaluate(P99, None, None, None, measuredMs: 900);

        Assert.Equal(LatencyObjectiveStatus.NoData, c.Status);
        Assert.True(c.Met);
        Assert.False(c.Breaching);
        Assert.Null(c.MeasuredMs);
        Assert.Null(c.BudgetUsed);
        Assert.Null(c.BurnRateLastHour);
    }

    [Theory]
    [InlineData(1000, 10, 1.0)]
    [InlineData(1000, 144, 14.4)]
    [InlineData(200, 0, 0.0)]
    public void BurnRate_IsTheShareOverDividedByTheAllowedShare(long requests, long over, double burn)
    {
        var c = LatencyObjectiveCheck.Evaluate(P99, new LatencyCounts(100_000, 200), new LatencyCounts(requests, over), new LatencyCounts(requests, over));

        Assert.Equal((decimal)burn, c.BurnRateLastHour);
        Assert.Equal((decimal)burn, c.BurnRateLastDay);
    }

    [Fact]
    public void AnHourBurningAt14Point4_IsAFastBurn_EvenWithBudgetLeft()
    {
        var c = LatencyObjectiveCheck.Evaluate(P99, new LatencyCounts(100_000, 200), new LatencyCounts(1000, 144), new LatencyCounts(10_000, 150));

        Assert.True(c.Met);
        Assert.Equal(LatencyObjectiveStatus.FastBurn, c.Status);
        Assert.True(c.Breaching);
    }

    [Fact]
    public void AnHourBurningJustBelow14Point4_IsNotFast_ButTheDayOverPaceIsAtRisk()
    {
        var c = LatencyObjectiveCheck.Evaluate(P99, new LatencyCounts(100_000, 200), new LatencyCounts(1000, 143), new LatencyCounts(10_000, 150));

        Assert.Equal(LatencyObjectiveStatus.AtRisk, c.Status);
        Assert.False(c.Breaching);
    }

    [Fact]
    public void AQuietHour_CannotBurnFast_OnAFewSlowRequests()
    {
        // 99 requests, all slow: a burn of 100, but fewer than the 100 requests an hour needs at p99.
        var quiet = LatencyObjectiveCheck.Evaluate(P99, new LatencyCounts(100_000, 99), new LatencyCounts(99, 99), new LatencyCounts(99, 99));
        var busy = LatencyObjectiveCheck.Evaluate(P99, new LatencyCounts(100_000, 100), new LatencyCounts(100, 100), new LatencyCounts(100, 100));

        Assert.Equal(LatencyObjectiveStatus.AtRisk, quiet.Status);
        Assert.Equal(LatencyObjectiveStatus.FastBurn, busy.Status);
    }

    [Theory]
    [InlineData(99, 14.4, 100)]
    [InlineData(95, 10, 20)]
    [InlineData(90, 5, 10)]
    public void FastBurn_ScalesToWhatThePercentileCanReach(int percentile, double threshold, long minRequests)
    {
        var objective = new LatencyObjective(800, percentile, 7);

        Assert.Equal((decimal)threshold, LatencyObjectiveCheck.FastBurnThreshold(objective));
        Assert.Equal(minRequests, LatencyObjectiveCheck.MinRequestsForFastBurn(objective));
    }

    [Fact]
    public void ImpossibleCounts_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => LatencyObjectiveCheck.Evaluate(P99, new LatencyCounts(5, 6), None, None));
        Assert.Throws<ArgumentException>(() => LatencyObjectiveCheck.Evaluate(P99, new LatencyCounts(-1, 0), None, None));
    }

    [Fact]
    public void FromHistograms_ATtftExactlyAtTheThreshold_IsNotOver()
    {
        var window = new LatencyHistogram();
        for (var i = 0; i < 98; i++)
        {
            window.Record(100);
        }

        window.Record(800); // exactly the threshold, twice: p99 (the 99th of 100) is 800 ms, and neither is over
        window.Record(800);
        var atThreshold = LatencyObjectiveCheck.Evaluate(P99, window, window, window);
        window.Record(801); // 2 of 102 over, where 1.02 are allowed
        window.Record(805);
        var over = LatencyObjectiveCheck.Evaluate(P99, window, window, window);

        Assert.Equal(0, atThreshold.OverThreshold);
        Assert.Equal(LatencyObjectiveStatus.Met, atThreshold.Status);
        Assert.Equal(800, atThreshold.MeasuredMs!.Value, 800 * 0.001);
        Assert.Equal(2, over.OverThreshold);
        Assert.Equal(LatencyObjectiveStatus.Exhausted, over.Status);
    }

    [Theory]
    [InlineData(800.0, 0)]
    [InlineData(799.0, 0)]
    [InlineData(800.9, 1)]
    [InlineData(1200.0, 1)]
    public void CountAbove_CountsValuesMoreThanATenthOfAPercentAboveTheThreshold(double value, long expected)
    {
        var histogram = new LatencyHistogram();
        histogram.Record(value);

        Assert.Equal(expected, histogram.CountAbove(800));
    }

    [Theory]
    [InlineData(false, false, LatencyIncidentAction.None)]
    [InlineData(true, false, LatencyIncidentAction.Open)]
    [InlineData(true, true, LatencyIncidentAction.None)]
    [InlineData(false, true, LatencyIncidentAction.Resolve)]
    public void IncidentRule_OpensOnBreach_AndResolvesWhenBackWithin(bool breached, bool open, LatencyIncidentAction action)
    {
        var counts = breached ? new LatencyCounts(100, 2) : new LatencyCounts(100, 1);
        var c = LatencyObjectiveCheck.Evaluate(P99, counts, None, None);

        Assert.Equal(action, LatencyIncidentRule.Decide(c, open));
    }

    [Fact]
    public void Describe_GivesTheNumbersBehindTheVerdict()
    {
        var c = LatencyObjectiveCheck.Evaluate(P99, new LatencyCounts(300, 4), new LatencyCounts(300, 4), new LatencyCounts(300, 4), 950);

        Assert.Equal("Latency budget exhausted: 4 of 300 production requests over 800 ms in 30 days (3 allowed); measured p99 950 ms; "
            + "burn rate 1.33 over the last hour, 1.33 over the last day.", LatencyIncidentRule.Describe(c));
        Assert.Equal("chat: TTFT objective p99 ≤ 800 ms over 30 days breached", LatencyIncidentRule.Title("chat", P99));
    }
}
