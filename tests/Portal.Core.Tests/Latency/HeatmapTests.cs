using Portal.Core.Latency;

namespace Portal.Core.Tests.Latency;

public sealed class HeatmapTests
{
    private static MinuteRollup Rollup(DateTimeOffset minute, params double[] ttftsMs)
    {
        var accumulator = new RollupAccumulator();
        foreach (var ttft in ttftsMs)
        {
            accumulator.Add(Samples.At(minute, ttftMs: ttft));
        }

        return Assert.Single(accumulator.Drain(minute.AddMinutes(1)));
    }

    [Fact]
    public void Build_CountsEachRollupInItsTimeAndTtftBucket()
    {
        var end = new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
        var rollups = new[]
        {
            Rollup(end.AddHours(-24), 50, 50, 300),
            Rollup(end.AddMinutes(-16), 6000),
            Rollup(end.AddMinutes(-14), 6000, 90),
            Rollup(end, 1),
            Rollup(end.AddHours(-25), 1),
        };

        var heatmap = Heatmap.Build(rollups, TimeWindow.OneDay, end);

        Assert.Equal(96, heatmap.TimeBuckets.Count);
        Assert.Equal(23, heatmap.Row(0).Count);
        Assert.Equal(2, heatmap[0, TtftBuckets.IndexOf(0.05)]);
        Assert.Equal(1, heatmap[0, TtftBuckets.IndexOf(0.3)]);
        Assert.Equal(1, heatmap[94, TtftBuckets.IndexOf(6.0)]);
        Assert.Equal(1, heatmap[95, TtftBuckets.IndexOf(6.0)]);
        Assert.Equal(1, heatmap[95, TtftBuckets.IndexOf(0.09)]);
        // The rollups at the window's end and 25 h back are outside [end − 24 h, end).
        Assert.Equal(6, Enumerable.Range(0, 96).Sum(row => heatmap.Row(row).Sum()));
    }

    [Fact]
    public void Build_WithCustomEdges_HasOneColumnPerBucketPlusOverflow()
    {
        var start = Samples.Noon;
        var heatmap = Heatmap.Build([Rollup(start, 500, 1500, 9000)], start, start.AddHours(1), TimeSpan.FromMinutes(30), [1.0, 5.0]);

        Assert.Equal(2, heatmap.TimeBuckets.Count);
        Assert.Equal([1L, 1L, 1L], heatmap.Row(0));
        Assert.Equal([0L, 0L, 0L], heatmap.Row(1));
    }
}
