using Portal.Core.Scaling;

namespace Portal.Core.Tests.Scaling;

public sealed class DrainingTests
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void StreamsInFlight_KeepTheReplica_UntilTheyFinish()
    {
        Assert.Equal(DrainVerdict.Wait, Draining.Judge(3, TimeSpan.FromSeconds(30), Refresh, Timeout));
        Assert.Equal(DrainVerdict.Drained, Draining.Judge(0, TimeSpan.FromSeconds(30), Refresh, Timeout));
    }

    [Fact]
    public void NothingInFlight_StillWaitsOneRoutingRefresh_SoNoNewRequestLandsOnAStoppedReplica()
    {
        Assert.Equal(DrainVerdict.Wait, Draining.Judge(0, TimeSpan.FromSeconds(1), Refresh, Timeout));
    }

    [Fact]
    public void PastTheTimeout_StopsAnyway()
    {
        Assert.Equal(DrainVerdict.TimedOut, Draining.Judge(1, Timeout, Refresh, Timeout));
    }
}
