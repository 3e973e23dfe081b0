using Portal.Core.Latency;

namespace Portal.Core.Tests.Latency;

public sealed class RollupLevelsTests
{
    private static readonly DateTimeOffset _noon = Samples.Noon;

    [Fact]
    public void ToHours_FoldsEachKeysMinutesIntoItsHour_AndLeavesTheMinutesAsTheyWere()
    {
        var accumulator = new RollupAccumulator();
        accumulator.Add(Samples.At(_noon.AddMinutes(1), ttftMs: 100));
        accumulator.Add(Samples.At(_noon.AddMinutes(59.5), ttftMs: 7000, coldStart: true, status: 500));
        accumulator.Add(Samples.At(_noon.AddMinutes(60), ttftMs: 300));
        accumulator.Add(Samples.At(_noon.AddMinutes(2), ttftMs: 400, target: Samples.OtherTarget));
        accumulator.Add(Samples.At(_noon.AddMinutes(3), traffic: TrafficKind.Shadow));
        var minutes = accumulator.Drain(DateTimeOffset.MaxValue);

        var hours = RollupLevels.ToHours(minutes);

        Assert.Equal(4, hours.Count);
        var noon = hours.Single(h => h.Key == new RollupKey(_noon, Samples.Endpoint, Samples.Target, "us-west", "dedicated"));
        Assert.Equal(2, noon.Requests);
        Assert.Equal(1, noon.Errors);
        Assert.Equal(1, noon.ColdStarts);
        Assert.Equal(7000, noon.MaxColdStartTtftMs);
        Assert.Equal(2, noon.Ttft.Count);
        Assert.Equal(_noon.AddHours(1), hours[^1].Key.MinuteStart);
        Assert.Contains(hours, h => h.Key.Traffic == TrafficKind.Shadow && h.Key.MinuteStart == _noon);
        Assert.Equal(5, minutes.Sum(m => m.Requests));
        Assert.All(minutes, m => Assert.Equal(1, m.Requests));
    }

    [Theory]
    [InlineData(1, false)] // 1 h window: 1-minute chart buckets need minutes
    [InlineData(15, false)] // 24 h window: 15-minute buckets
    [InlineData(60, true)] // 7 d window: hourly buckets
    [InlineData(360, true)] // 30 d window: 6-hour buckets
    [InlineData(90, false)] // a bucket that splits an hour
    public void Plan_ReadsHoursOnlyWhenTheResolutionIsWholeHours(int resolutionMinutes, bool readsHours)
    {
        var to = _noon.AddMinutes(17);
        var plan = RollupLevels.Plan(to.AddDays(-7), to, TimeSpan.FromMinutes(resolutionMinutes));

        Assert.Equal(readsHours, plan.ReadsHours);
        if (readsHours)
        {
            Assert.Equal(_noon.AddDays(-7).AddHours(1), plan.HoursFrom);
            Assert.Equal(_noon, plan.HoursTo);
        }
    }

    [Fact]
    public void Plan_OnWholeHoursReadsNoMinutes_AndWithinOneHourReadsOnlyMinutes()
    {
        var aligned = RollupLevels.Plan(_noon.AddDays(-30), _noon, TimeSpan.FromHours(6));
        Assert.Equal((_noon.AddDays(-30), _noon), (aligned.HoursFrom, aligned.HoursTo));
        Assert.False(aligned.ReadsMinute(_noon.AddDays(-30)));
        Assert.False(aligned.ReadsMinute(_noon.AddMinutes(-1)));

        var brief = RollupLevels.Plan(_noon.AddMinutes(10), _noon.AddMinutes(70), TimeSpan.FromHours(1));
        Assert.False(brief.ReadsHours);
        Assert.True(brief.ReadsMinute(_noon.AddMinutes(10)));
        Assert.True(brief.ReadsMinute(_noon.AddMinutes(69)));
        Assert.False(brief.ReadsMinute(_noon.AddMinutes(70)));
        Assert.Throws<ArgumentException>(() => RollupLevels.Plan(_noon, _noon.AddTicks(-1), TimeSpan.FromHours(1)));
    }

    [Fact]
    public void AWeekReadThroughThePlan_GivesTheSameCountsHistogramAndSeriesAsAllItsMinutes()
    {
        var random = new Random(11);
        var to = _noon.AddMinutes(23).AddSeconds(30);
        var from = to.AddDays(-7);
        var accumulator = new RollupAccumulator();
        for (var minute = from.AddMinutes(-90); minute < to; minute = minute.AddMinutes(random.Next(1, 9)))
        {
            for (var i = random.Next(1, 6); i > 0; i--)
            {
                var ttft = random.NextDouble() < 0.02 ? 6000 + random.NextDouble() * 9000 : 120 + random.NextDouble() * 600;
                accumulator.Add(Samples.At(minute.AddSeconds(random.Next(60)), ttftMs: ttft, coldStart: ttft > 5000,
                    target: i % 2 == 0 ? Samples.Target : Samples.OtherTarget));
            }
        }

        var minutes = accumulator.Drain(DateTimeOffset.MaxValue);
        var hours = RollupLevels.ToHours(minutes);
        var window = TimeWindow.SevenDays;
        var plan = RollupLevels.Plan(from, to, window.BucketSize);
        var planned = minutes.Where(m => plan.ReadsMinute(m.Key.MinuteStart))
            .Concat(hours.Where(h => h.Key.MinuteStart >= plan.HoursFrom && h.Key.MinuteStart < plan.HoursTo))
            .ToList();
        var exact = minutes.Where(m => m.Key.MinuteStart >= from && m.Key.MinuteStart < to).ToList();

        Assert.True(planned.Count * 5 < exact.Count, $"{planned.Count} rollups read instead of {exact.Count}");
        Assert.Equal(exact.Sum(m => m.Requests), planned.Sum(m => m.Requests));
        Assert.Equal(exact.Sum(m => m.ColdStarts), planned.Sum(m => m.ColdStarts));
        var merged = LatencyHistogram.Combine(planned.Select(r => r.Ttft));
        var reference = LatencyHistogram.Combine(exact.Select(r => r.Ttft));
        Assert.Equal(reference.BucketCounts(), merged.BucketCounts());
        foreach (var p in new[] { 50, 99, 99.9 })
        {
            Assert.Equal(reference.Percentile(p), merged.Percentile(p));
        }

        Assert.Equal(LatencySeries.Build(exact, window, to), LatencySeries.Build(planned, window, to));
    }
}
