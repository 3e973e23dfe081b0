using Portal.Core.Latency;

namespace Portal.Core.Tests.Latency;

public sealed class LatencySeriesTests
{
    [Fact]
    public void Build_GivesP50AndP99PerBucketAndNullsForEmptyBuckets()
    {
        var accumulator = new RollupAccumulator();
        var start = Samples.Noon;
        for (var i = 1; i <= 100; i++)
        {
            accumulator.Add(Samples.At(start.AddSeconds(i % 60), ttftMs: i));
        }

        accumulator.Add(Samples.At(start.AddMinutes(2), ttftMs: null, status: 500));
        accumulator.Add(Samples.At(start.AddMinutes(2), ttftMs: 7000, coldStart: true));

        var series = LatencySeries.Build(accumulator.Drain(start.AddHours(1)), start, start.AddMinutes(3), TimeSpan.FromMinutes(1));

        Assert.Equal(3, series.Count);
        Assert.Equal(100, series[0].Requests);
        Assert.Equal(50, series[0].P50!.Value, 0.05);
        Assert.Equal(99, series[0].P99!.Value, 0.1);
        Assert.Equal(0, series[1].Requests);
        Assert.Null(series[1].P50);
        Assert.Equal(2, series[2].Requests);
        Assert.Equal(1, series[2].Errors);
        Assert.Equal(1, series[2].ColdStarts);
    }

    [Fact]
    public void Build_BucketsMergingManyRollupsPastTheCompactForm_GiveTheSamePercentilesAsOneCombinedHistogram()
    {
        var accumulator = new RollupAccumulator();
        var start = Samples.Noon;
        var random = new Random(11);
        for (var i = 0; i < 20_000; i++)
        {
            // 15 minutes × 2 targets of widely spread values: thousands of distinct buckets per 15-minute point.
            accumulator.Add(Samples.At(start.AddSeconds(random.NextDouble() * 900), ttftMs: Math.Exp(3 + 6 * random.NextDouble()),
                target: i % 2 == 0 ? Samples.Target : Samples.OtherTarget));
        }

        var rollups = accumulator.Drain(start.AddHours(1));
        var series = LatencySeries.Build(rollups, start, start.AddMinutes(30), TimeSpan.FromMinutes(15));

        var combined = LatencyHistogram.Combine(rollups.Select(r => r.Ttft));
        Assert.Equal(20_000, series[0].Requests);
        Assert.Equal(combined.Percentile(50), series[0].P50);
        Assert.Equal(combined.Percentile(99), series[0].P99);
        Assert.Null(series[1].P99);
    }
}
