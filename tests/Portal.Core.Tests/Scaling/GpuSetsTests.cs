using Portal.Core.Scaling;

namespace Portal.Core.Tests.Scaling;

public sealed class GpuSetsTests
{
    private static readonly int[] Host = [0, 1, 2, 3];

    [Fact]
    public void Replicas_GetDisjointWholeSets_LowestFreeFirst()
    {
        var first = GpuSets.Reserve(Host, [], 2);
        var second = GpuSets.Reserve(Host, first!, 2);

        Assert.Equal([0, 1], first);
        Assert.Equal([2, 3], second);
    }

    [Fact]
    public void FewerFreeDevicesThanAReplicaNeeds_IsRefused_NeverAShare()
    {
        Assert.Null(GpuSets.Reserve(Host, [0, 1, 2], 2));
        Assert.Null(GpuSets.Reserve(Host, [], 8));
    }

    [Fact]
    public void DevicesOfAStoppedReplica_AreFreeAgain()
    {
        Assert.Equal([1, 2], GpuSets.Reserve(Host, [0, 3], 2));
    }
}
