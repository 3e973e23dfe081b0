using Portal.Core.Sla;

namespace Portal.Core.Tests.Sla;

public sealed class ProbeRoutingTests
{
    [Fact]
    public void AReplicaFailingItsProbes_GetsNoTraffic() =>
        Assert.Equal(["b"], ProbeRouting.Routable(["a", "b"], replica => replica == "a"));

    [Fact]
    public void WhenEveryReplicaFails_AllAreKept_SoAProbeFaultIsNotAnOutage() =>
        Assert.Equal(["a", "b"], ProbeRouting.Routable(["a", "b"], _ => true));

    [Fact]
    public void NoReplicas_StayNone() =>
        Assert.Empty(ProbeRouting.Routable(Array.Empty<string>(), _ => false));
}
