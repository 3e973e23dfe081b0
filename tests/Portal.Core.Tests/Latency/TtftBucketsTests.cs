using Portal.Core.Latency;

namespace Portal.Core.Tests.Latency;

public sealed class TtftBucketsTests
{
    [Fact]
    public void Default_IsVllmsTtftHistogram()
    {
        Assert.Equal(22, TtftBuckets.Default.Count);
        Assert.Equal(0.001, TtftBuckets.Default[0]);
        Assert.Equal(5.0, TtftBuckets.Default[13]);
        Assert.Equal(2560.0, TtftBuckets.Default[^1]);
    }

    [Fact]
    public void BucketCounts_PutsEdgeValuesInTheirOwnBucketAndLargeOnesInOverflow()
    {
        var counts = TtftBuckets.BucketCounts([0.0005, 0.001, 0.0011, 5.0, 5.001, 2560.0, 3000.0]);

        Assert.Equal(23, counts.Length);
        Assert.Equal(2, counts[0]);
        Assert.Equal(1, counts[1]);
        Assert.Equal(1, counts[13]);
        Assert.Equal(1, counts[14]);
        Assert.Equal(1, counts[21]);
        Assert.Equal(1, counts[22]);
    }

    [Fact]
    public void BucketCounts_WithCustomEdges_UsesThem()
    {
        var counts = TtftBuckets.BucketCounts([0.5, 1.5, 9], [1.0, 2.0]);

        Assert.Equal([1L, 1L, 1L], counts);
    }

    [Fact]
    public void BucketCounts_WithEdgesThatDoNotIncrease_Throws() =>
        Assert.Throws<ArgumentException>(() => TtftBuckets.BucketCounts([1], [1.0, 1.0]));
}
