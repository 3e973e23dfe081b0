using System.Net;
using Portal.Gateway.Outbound;

namespace Portal.Gateway.Tests;

public sealed class OwnEndpointsTests
{
    [Fact]
    public void From_ListeningUrls_GivesAddressesAndPorts()
    {
        var own = OwnEndpoints.From(["http://127.0.0.1:5080", "http://localhost:6000", "https://[::]:7000"]);

        Assert.Contains(new IPEndPoint(IPAddress.Loopback, 5080), own);
        Assert.Contains(new IPEndPoint(IPAddress.Loopback, 6000), own);
        Assert.Contains(new IPEndPoint(IPAddress.IPv6Loopback, 6000), own);
        Assert.Contains(new IPEndPoint(IPAddress.IPv6Any, 7000), own);
        Assert.DoesNotContain(own, e => e.Port is not (5080 or 6000 or 7000));
    }
}
