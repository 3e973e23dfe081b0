using Portal.Core.Gateway;

namespace Portal.Gateway.Tests.Rules;

public sealed class ShadowSamplingTests
{
    [Theory]
    [InlineData(0.2, 0.2)]
    [InlineData(0.0, 0.0)]
    [InlineData(-1.0, 0.0)]
    [InlineData(0.8, 0.5)]
    [InlineData(double.NaN, 0.0)]
    public void EffectiveShare_ClampedTo0To50Percent(double share, double expected) =>
        Assert.Equal(expected, ShadowSampling.EffectiveShare(share));

    [Fact]
    public void ShouldCopy_UniformBelowShare()
    {
        Assert.True(ShadowSampling.ShouldCopy(0.2, 0.19));
        Assert.False(ShadowSampling.ShouldCopy(0.2, 0.2));
        Assert.False(ShadowSampling.ShouldCopy(0, 0));
        Assert.False(ShadowSampling.ShouldCopy(0.9, 0.6));
    }

    [Fact]
    public void ShouldCopy_OverManyDraws_MatchesShare()
    {
        var random = new Random(1);

        var copied = Enumerable.Range(0, 100_000).Count(_ => ShadowSampling.ShouldCopy(0.2, random.NextDouble()));

        Assert.InRange(copied, 19_500, 20_500);
    }
}
