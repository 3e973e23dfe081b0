using Portal.Core.Gateway;

namespace Portal.Gateway.Tests.Rules;

public sealed class RequestRateBucketTests
{
    private const long Frequency = 1000;

    [Fact]
    public void TryTake_AMinutesAllowanceAtOnce_ThenRefillsEvenly()
    {
        var bucket = new RequestRateBucket();
        for (var i = 0; i < 60; i++)
        {
            Assert.True(bucket.TryTake(60, 0, Frequency, out _));
        }

        Assert.False(bucket.TryTake(60, 0, Frequency, out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(1), retryAfter);
        Assert.False(bucket.TryTake(60, 500, Frequency, out retryAfter));
        Assert.Equal(0.5, retryAfter.TotalSeconds, 6);
        Assert.True(bucket.TryTake(60, 1000, Frequency, out _));
    }

    [Fact]
    public void TryTake_NeverAccumulatesMoreThanOneMinute()
    {
        var bucket = new RequestRateBucket();
        Assert.True(bucket.TryTake(2, 0, Frequency, out _));

        var admitted = Enumerable.Range(0, 5).Count(i => bucket.TryTake(2, 3_600_000, Frequency, out _));

        Assert.Equal(2, admitted);
    }

    [Fact]
    public void TryTake_ZeroLimit_Refused() => Assert.False(new RequestRateBucket().TryTake(0, 0, Frequency, out _));
}
