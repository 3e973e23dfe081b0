using Portal.Core.Latency;

namespace Portal.Core.Tests.Latency;

public sealed class ExactPercentilesTests
{
    private static readonly double[] _values = [40, 15, 50, 35, 20];

    [Theory]
    [InlineData(0, 15)]
    [InlineData(5, 15)]
    [InlineData(20, 15)]
    [InlineData(30, 20)]
    [InlineData(40, 20)]
    [InlineData(50, 35)]
    [InlineData(100, 50)]
    public void Percentile_UsesNearestRankOnTheSortedValues(double percentile, double expected) =>
        Assert.Equal(expected, ExactPercentiles.Percentile(_values, percentile));

    [Fact]
    public void Percentile_NinetyNinePointNineOfAThousand_IsRank999DespiteFloatingPoint() =>
        Assert.Equal(999, ExactPercentiles.Percentile(Enumerable.Range(1, 1000).Select(i => (double)i), 99.9));

    [Fact]
    public void Percentile_OfNoValues_IsNull() => Assert.Null(ExactPercentiles.Percentile([], 50));

    [Fact]
    public void Percentile_OutOfRange_ThrowsEvenWithoutValues() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ExactPercentiles.Percentile([], 101));
}
