using Portal.Core.Catalog;
using Portal.Core.Residency;
using Portal.Core.Scaling;

namespace Portal.Core.Tests.Scaling;

public sealed class BurstPlacementTests
{
    private static readonly BurstPoolOptions Pools = new()
    {
        Pools =
        [
            new BurstPool { Region = "us-east", GpuType = "h100-80gb", Gpus = 2 },
            new BurstPool { Region = "us-central", GpuType = "h100-80gb", Gpus = 4 },
            new BurstPool { Region = "eu-paris", GpuType = "h100-80gb", Gpus = 8 },
        ],
    };

    private static readonly Region UsEast = ModelCatalog.Default.GetRegion("us-east");

    private static string? Place(IReadOnlySet<string>? allowed, Dictionary<string, int> inUse, int gpusPerReplica = 2) =>
        RegionPlacement.Choose(UsEast, allowed, region => Pools.HasRoom(region, "h100-80gb", gpusPerReplica, inUse.GetValueOrDefault(region)));

    [Fact]
    public void SameRegionFirst_WhileItsPoolHasRoom()
    {
        Assert.Equal("us-east", Place(null, []));
    }

    [Fact]
    public void HomePoolFull_GoesToTheNextClosestRegionWithRoom()
    {
        Assert.Equal("us-central", Place(null, new() { ["us-east"] = 2 }));
        Assert.Equal("eu-paris", Place(null, new() { ["us-east"] = 2, ["us-central"] = 4 }));
    }

    [Fact]
    public void RegionLock_IsNeverCrossed_EvenWithCapacityOutside()
    {
        var usOnly = new HashSet<string> { "us-east", "us-central" };

        Assert.Null(Place(usOnly, new() { ["us-east"] = 2, ["us-central"] = 4 }));
    }

    [Fact]
    public void AReplicaTakesAWholeGpuSet_NeverAShareOfOne()
    {
        Assert.False(Pools.HasRoom("us-central", "h100-80gb", 4, 1));
        Assert.True(Pools.HasRoom("us-central", "h100-80gb", 3, 1));
        Assert.False(Pools.HasRoom("us-east", "h200-141gb", 1, 0));
    }

    [Fact]
    public void TakenCapacity_SendsTheNextBurstReplicaToTheNextClosestRegion()
    {
        var capacity = new BurstCapacity { Home = UsEast, Pools = Pools, GpuType = "h100-80gb", GpusPerReplica = 2 };

        Assert.Equal("us-east", capacity.Choose());
        var afterOne = capacity.Take("us-east");
        Assert.Equal("us-central", afterOne.Choose());
        Assert.Equal("us-east", capacity.Choose());
        Assert.Null(afterOne.Take("us-central").Take("us-central").Take("eu-paris").Take("eu-paris").Take("eu-paris").Take("eu-paris").Choose());
    }
}
