using Portal.Core.Latency;
using Portal.Core.Signals;

namespace Portal.Core.Tests.Signals;

public sealed class ColdStartSignalTests
{
    private static readonly DateTimeOffset _noon = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private static LatencySample Sample(double ttftMs, TrafficKind traffic = TrafficKind.Production) =>
        new(_noon, Guid.Empty, Guid.Empty, "us-west", "serverless", ttftMs, false, 10, 10, 200, traffic);

    [Theory]
    [InlineData(5000, SignalState.Ok)]
    [InlineData(5001, SignalState.Fires)]
    public void Fires_OnAnyTtftStrictlyAboveFiveSeconds(double ttftMs, SignalState expected)
    {
        var samples = Enumerable.Repeat(Sample(300), 39).Append(Sample(ttftMs));

        var traffic = TrafficStats.FromSamples(samples);
        var signal = MigrationSignals.ColdStarts(traffic.Requests, traffic.ColdStarts);

        Assert.Equal(expected, signal.State);
    }

    [Fact]
    public void Evidence_GivesTheCountAndTheRate()
    {
        var signal = MigrationSignals.ColdStarts(120, 3);

        Assert.Equal(3, signal.Value);
        Assert.Equal("3 cold starts in 120 requests, 1 in 40.", signal.Evidence);
    }

    [Fact]
    public void WithoutRequests_IsNotEnoughData() =>
        Assert.Equal(SignalState.NotEnoughData, MigrationSignals.ColdStarts(0, 0).State);

    [Fact]
    public void ProbesAndShadowCopies_NeverCount()
    {
        var samples = new[] { Sample(300), Sample(20_000, TrafficKind.Probe), Sample(20_000, TrafficKind.Shadow) };

        var traffic = TrafficStats.FromSamples(samples);

        Assert.Equal(1, traffic.Requests);
        Assert.Equal(0, traffic.ColdStarts);
        Assert.Equal(1, traffic.Ttft.Count);
    }

    [Fact]
    public void FromRollups_SkipsProbeAndShadowRollupsEvenWhenPassedIn()
    {
        var accumulator = new RollupAccumulator();
        accumulator.Add(Sample(300) with { IsColdStart = false });
        accumulator.Add(Sample(9000) with { IsColdStart = true });
        accumulator.Add(Sample(9000, TrafficKind.Probe) with { IsColdStart = true });
        accumulator.Add(Sample(9000, TrafficKind.Shadow) with { IsColdStart = true });

        var traffic = TrafficStats.FromRollups(accumulator.Drain(_noon.AddMinutes(1)));

        Assert.Equal(2, traffic.Requests);
        Assert.Equal(1, traffic.ColdStarts);
        Assert.Equal(20, traffic.InputTokens);
        Assert.Equal(2, traffic.Ttft.Count);
    }
}
