using Portal.Core.Latency;

namespace Portal.Core.Tests.Latency;

public sealed class RollupAccumulatorTests
{
    private static readonly DateTimeOffset _noon = Samples.Noon;

    [Fact]
    public void Add_GroupsSamplesByMinuteAndKeyWithTheirCounts()
    {
        var accumulator = new RollupAccumulator();
        accumulator.Add(Samples.At(_noon.AddSeconds(1), ttftMs: 100));
        accumulator.Add(Samples.At(_noon.AddSeconds(59.9), ttftMs: 6000, coldStart: true, promptTokens: 50, completionTokens: 5));
        accumulator.Add(Samples.At(_noon.AddSeconds(30), ttftMs: null, status: 503, promptTokens: 10, completionTokens: 0));
        accumulator.Add(Samples.At(_noon.AddMinutes(1)));
        accumulator.Add(Samples.At(_noon.AddSeconds(2), target: Samples.OtherTarget));

        var rollups = accumulator.Drain(_noon.AddMinutes(5));

        Assert.Equal(3, rollups.Count);
        var first = rollups.Single(r => r.Key.MinuteStart == _noon && r.Key.TargetId == Samples.Target);
        Assert.Equal(3, first.Requests);
        Assert.Equal(1, first.Errors);
        Assert.Equal(1, first.ColdStarts);
        Assert.Equal(160, first.PromptTokens);
        Assert.Equal(25, first.CompletionTokens);
        Assert.Equal(2, first.Ttft.Count);
        Assert.Equal(6000, first.MaxColdStartTtftMs);
        Assert.Equal(_noon.AddMinutes(1), rollups[^1].Key.MinuteStart);
    }

    [Fact]
    public void Add_KeepsProbesAndShadowCopiesInTheirOwnRollups()
    {
        var accumulator = new RollupAccumulator();
        accumulator.Add(Samples.At(_noon));
        accumulator.Add(Samples.At(_noon, traffic: TrafficKind.Probe));
        accumulator.Add(Samples.At(_noon, traffic: TrafficKind.Shadow));

        var rollups = accumulator.Drain(_noon.AddMinutes(1));

        Assert.Equal([TrafficKind.Production, TrafficKind.Shadow, TrafficKind.Probe], rollups.Select(r => r.Key.Traffic));
    }

    [Fact]
    public void Drain_ReturnsOnlyFinishedMinutesAndKeepsTheCurrentOne()
    {
        var accumulator = new RollupAccumulator();
        accumulator.Add(Samples.At(_noon.AddSeconds(10)));
        accumulator.Add(Samples.At(_noon.AddSeconds(70)));

        var drained = accumulator.Drain(_noon.AddSeconds(90));

        Assert.Equal(_noon, Assert.Single(drained).Key.MinuteStart);
        Assert.Equal(_noon.AddMinutes(1), Assert.Single(accumulator.Pending).Key.MinuteStart);
        Assert.Empty(accumulator.Drain(_noon.AddSeconds(90)));
    }

    [Fact]
    public void ALateSampleForADrainedMinute_StartsARollupTheStoreCanMerge()
    {
        var accumulator = new RollupAccumulator();
        accumulator.Add(Samples.At(_noon.AddSeconds(10), ttftMs: 100));
        var stored = Assert.Single(accumulator.Drain(_noon.AddMinutes(1)));

        accumulator.Add(Samples.At(_noon.AddSeconds(50), ttftMs: 300));
        var late = Assert.Single(accumulator.Drain(_noon.AddMinutes(2)));
        stored.Merge(late);

        Assert.Equal(2, stored.Requests);
        Assert.Equal(2, stored.Ttft.Count);
        Assert.Equal(300, stored.Ttft.Max!.Value, 0);
    }

    [Fact]
    public void Merge_OfDifferentKeys_Throws()
    {
        var a = new MinuteRollup(Samples.At(_noon).RollupKey);
        var b = new MinuteRollup(Samples.At(_noon.AddMinutes(1)).RollupKey);

        Assert.Throws<ArgumentException>(() => a.Merge(b));
    }

    [Fact]
    public void RollupKey_IsTheUtcMinuteOfTheSample()
    {
        var local = new DateTimeOffset(2026, 3, 10, 14, 7, 42, TimeSpan.FromHours(2));

        var key = Samples.At(local).RollupKey;

        Assert.Equal(new DateTimeOffset(2026, 3, 10, 12, 7, 0, TimeSpan.Zero), key.MinuteStart);
        Assert.Equal(TimeSpan.Zero, key.MinuteStart.Offset);
    }

    [Theory]
    [InlineData(200, false)]
    [InlineData(299, false)]
    [InlineData(0, true)]
    [InlineData(429, true)]
    [InlineData(503, true)]
    public void IsError_IsAnythingButTwoHundreds(int status, bool isError) =>
        Assert.Equal(isError, Samples.At(_noon, status: status).IsError);
}
