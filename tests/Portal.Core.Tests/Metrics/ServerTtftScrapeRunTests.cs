using Portal.Core.Metrics;

namespace Portal.Core.Tests.Metrics;

public sealed class ServerTtftScrapeRunTests
{
    private static readonly Guid Dedicated = Guid.Parse("00000000-0000-0000-0000-00000000000d");
    private static readonly Guid Serverless = Guid.Parse("00000000-0000-0000-0000-00000000000e");

    private static ServerTtftHistogram Cumulative(double upTo100Ms, double upTo1S, double sum) =>
        new([0.1, 1.0, double.PositiveInfinity], [upTo100Ms, upTo1S, upTo1S], upTo1S, sum);

    [Fact]
    public void ASourceWithoutABaseline_OnlySetsOne_AndATargetWithOnlyNewSourcesGetsNoPoint()
    {
        var deltas = ServerTtftScrapeRun.TargetDeltas([new ScrapedTtft(Serverless, "target", Cumulative(50, 80, 20))], (_, _) => null);

        Assert.Empty(deltas);
    }

    [Fact]
    public void ReplicasOfOneTarget_MergeTheirDeltas_ANewReplicaIsLeftOut_AndAResetReplicaCountsFromZero()
    {
        var baselines = new Dictionary<(Guid, string), ServerTtftHistogram>
        {
            [(Dedicated, "replica/a")] = Cumulative(10, 12, 3),
            [(Dedicated, "replica/b")] = Cumulative(40, 50, 9),
            [(Serverless, "target")] = Cumulative(7, 7, 0.5),
        };

        var deltas = ServerTtftScrapeRun.TargetDeltas(
        [
            new ScrapedTtft(Dedicated, "replica/a", Cumulative(14, 17, 4)), // +4 fast, +1 slow
            new ScrapedTtft(Dedicated, "replica/b", Cumulative(2, 3, 1)), // restarted: its 3 requests are all new
            new ScrapedTtft(Dedicated, "replica/c", Cumulative(100, 100, 5)), // first scrape: its whole life, not this interval
            new ScrapedTtft(Serverless, "target", Cumulative(7, 7, 0.5)), // idle
        ], (target, source) => baselines.GetValueOrDefault((target, source)));

        Assert.Equal(8, deltas[Dedicated].Count);
        Assert.Equal([6.0, 8, 8], deltas[Dedicated].Cumulative);
        Assert.Equal(2, deltas[Dedicated].SumSeconds, 9);
        Assert.Equal(0, deltas[Serverless].Count);
        Assert.Null(deltas[Serverless].PercentileMs(50));
    }

    [Fact]
    public void Bytes_RoundTripEdgesCountsCountAndSum_IncludingInfinity()
    {
        var histogram = new ServerTtftHistogram([0.001, 0.25, 2.5, double.PositiveInfinity], [0, 3.5, 9, 10], 10, 4.125);

        var read = ServerTtftHistogram.FromBytes(histogram.ToBytes());

        Assert.Equal(histogram.UpperBounds, read.UpperBounds);
        Assert.Equal(histogram.Cumulative, read.Cumulative);
        Assert.Equal(10, read.Count);
        Assert.Equal(4.125, read.SumSeconds);
        Assert.Equal(5 + (4 * 16) + 16, histogram.ToBytes().Length);
    }

    [Fact]
    public void Bytes_ThatAreNotAHistogram_AreRefused()
    {
        var bytes = Cumulative(1, 2, 3).ToBytes();

        Assert.Throws<FormatException>(() => ServerTtftHistogram.FromBytes([]));
        Assert.Throws<FormatException>(() => ServerTtftHistogram.FromBytes(bytes.AsSpan(0, bytes.Length - 1)));
        bytes[0] = 9;
        Assert.Throws<FormatException>(() => ServerTtftHistogram.FromBytes(bytes));
        Assert.Throws<FormatException>(() => ServerTtftHistogram.FromBytes([1, 255, 255, 255, 127]));
    }
}
