using Portal.Core.Latency;
using Portal.Core.Signals;

namespace Portal.Core.Tests.Signals;

public sealed class TailDivergenceSignalTests
{
    [Theory]
    [InlineData(299, SignalState.Ok)]
    [InlineData(300, SignalState.Ok)]
    [InlineData(301, SignalState.Fires)]
    public void Fires_OnlyWhenP99IsMoreThanThreeTimesP50(double p99Ms, SignalState expected)
    {
        var signal = MigrationSignals.TailDivergence(1000, 100, p99Ms);

        Assert.Equal(expected, signal.State);
        Assert.Equal(p99Ms / 100, signal.Value);
        Assert.Equal(3, signal.Threshold);
    }

    [Fact]
    public void Evidence_StatesTheRatioAndTheNumbers()
    {
        var signal = MigrationSignals.TailDivergence(1234, 100, 301);

        Assert.Equal("p99 TTFT 301 ms is 3.01× p50 100 ms over 1,234 requests; above 3× the tail hurts users.", signal.Evidence);
    }

    [Theory]
    [InlineData(99, SignalState.NotEnoughData)]
    [InlineData(100, SignalState.Fires)]
    public void NeedsAHundredRequests(int requests, SignalState expected)
    {
        // Nearest rank: p50 is rank ⌈N/2⌉ and p99 is rank ⌈0.99 N⌉; the slow values sit above rank ⌈N/2⌉.
        var histogram = new LatencyHistogram();
        for (var i = 1; i <= requests; i++)
        {
            histogram.Record(i <= (requests + 1) / 2 ? 0.4 : 1.68);
        }

        var signal = MigrationSignals.TailDivergence(histogram);

        Assert.Equal(expected, signal.State);
        if (expected == SignalState.NotEnoughData)
        {
            Assert.Null(signal.Value);
            Assert.Equal("Only 99 requests with a TTFT in the window; tail divergence needs at least 100.", signal.Evidence);
        }
        else
        {
            Assert.Equal(4.2, signal.Value!.Value, 1e-9);
        }
    }
}
