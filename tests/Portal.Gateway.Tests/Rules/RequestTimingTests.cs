using Portal.Core.Gateway;

namespace Portal.Gateway.Tests.Rules;

public sealed class RequestTimingTests
{
    // One tick per millisecond keeps the worked examples readable.
    private const long Frequency = 1000;

    [Fact]
    public void Compute_WorkedExample()
    {
        // Received at 0; content chunks at 200, 210, 230, 240; done at 250; usage says 4 output tokens.
        var timings = RequestTiming.Compute(0, [200, 210, 230, 240], 250, 4, Frequency, TimeSpan.FromSeconds(5));

        Assert.Equal(250, timings.EndToEndMs);
        Assert.Equal(200, timings.TtftMs);
        Assert.Equal(40.0 / 3, timings.ItlMeanMs!.Value, 9);
        Assert.Equal(20, timings.ItlP99Ms);
        Assert.Equal((250 - 200) / 3.0, timings.TpotMs!.Value, 9);
        Assert.False(timings.ColdStart);
    }

    [Fact]
    public void Compute_TpotUsesUsageTokensNotChunkCount()
    {
        // Two chunks carried 11 tokens between them: TPOT divides by 10, not by 1.
        var timings = RequestTiming.Compute(0, [100, 150], 200, 11, Frequency, TimeSpan.FromSeconds(5));

        Assert.Equal(10, timings.TpotMs);
    }

    [Fact]
    public void Compute_NoUsage_FallsBackToChunkCount()
    {
        var timings = RequestTiming.Compute(0, [100, 120, 140], 140, null, Frequency, TimeSpan.FromSeconds(5));

        Assert.Equal(20, timings.TpotMs);
    }

    [Fact]
    public void Compute_NoContent_OnlyEndToEnd()
    {
        var timings = RequestTiming.Compute(10, [], 70, 5, Frequency, TimeSpan.FromSeconds(5));

        Assert.Equal(new RequestTimings(60, null, null, null, null, false), timings);
    }

    [Fact]
    public void Compute_SingleToken_NoItlNoTpot()
    {
        var timings = RequestTiming.Compute(0, [80], 90, 1, Frequency, TimeSpan.FromSeconds(5));

        Assert.Equal((80.0, (double?)null, (double?)null), (timings.TtftMs!.Value, timings.ItlMeanMs, timings.TpotMs));
    }

    [Fact]
    public void Compute_P99OfGaps_NearestRank()
    {
        // 101 gaps, 100 of 10 ms and one of 500 ms: nearest rank 100 of 101 is still 10 ms.
        // A second 500 ms gap moves rank 101 of 102 onto it.
        var chunks = Enumerable.Range(0, 101).Select(i => (long)i * 10).Append(1500).ToArray();
        Assert.Equal(10, RequestTiming.Compute(0, chunks, 1500, null, Frequency, TimeSpan.FromSeconds(5)).ItlP99Ms);

        var twoOutliers = chunks.Append(2000).ToArray();
        Assert.Equal(500, RequestTiming.Compute(0, twoOutliers, 2000, null, Frequency, TimeSpan.FromSeconds(5)).ItlP99Ms);
    }

    [Theory]
    [InlineData(5000, false)]
    [InlineData(5001, true)]
    public void ColdStart_IsTtftAboveThreshold(long ttft, bool expected) =>
        Assert.Equal(expected, RequestTiming.Compute(0, [ttft], ttft, 1, Frequency, RequestTiming.DefaultColdStartThreshold).ColdStart);

    [Fact]
    public void ColdStart_ConfigurableThreshold() =>
        Assert.True(RequestTiming.IsColdStart(1200, TimeSpan.FromSeconds(1)));

    [Fact]
    public void Measure_Embeddings_TimeToResponseIsTheTtft_AboveTheThresholdAColdStart()
    {
        var warm = RequestTiming.Measure(GatewayOperation.Embeddings, succeeded: true, 0, [], 120, null, Frequency, TimeSpan.FromSeconds(5));
        var cold = RequestTiming.Measure(GatewayOperation.Embeddings, succeeded: true, 0, [], 5_001, null, Frequency, TimeSpan.FromSeconds(5));
        var atThreshold = RequestTiming.Measure(GatewayOperation.Embeddings, succeeded: true, 0, [], 5_000, null, Frequency, TimeSpan.FromSeconds(5));

        Assert.Equal((120.0, 120.0, false), (warm.EndToEndMs, warm.TtftMs!.Value, warm.ColdStart));
        Assert.Equal((5_001.0, true), (cold.TtftMs!.Value, cold.ColdStart));
        Assert.False(atThreshold.ColdStart);
        Assert.Null(warm.ItlMeanMs);
        Assert.Null(warm.TpotMs);
    }

    [Fact]
    public void Measure_FailedEmbeddings_NoTtft()
    {
        var timings = RequestTiming.Measure(GatewayOperation.Embeddings, succeeded: false, 0, [], 9_000, null, Frequency, TimeSpan.FromSeconds(5));

        Assert.Null(timings.TtftMs);
        Assert.False(timings.ColdStart);
    }

    [Fact]
    public void Measure_Chat_SameAsCompute()
    {
        var timings = RequestTiming.Measure(GatewayOperation.Chat, succeeded: true, 0, [200, 210], 250, 2, Frequency, TimeSpan.FromSeconds(5));

        Assert.Equal(RequestTiming.Compute(0, [200, 210], 250, 2, Frequency, TimeSpan.FromSeconds(5)), timings);
    }
}
