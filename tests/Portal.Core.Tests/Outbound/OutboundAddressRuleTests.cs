using System.Net;
using Portal.Core.Outbound;

namespace Portal.Core.Tests.Outbound;

public sealed class OutboundAddressRuleTests
{
    private static readonly IReadOnlyList<OutboundAllowEntry> NoAllow = [];
    private static readonly IReadOnlyCollection<IPEndPoint> NoOwn = [];

    [Theory]
    [InlineData("127.0.0.1", OutboundRange.Loopback)]
    [InlineData("127.8.9.10", OutboundRange.Loopback)]
    [InlineData("169.254.169.254", OutboundRange.LinkLocal)]
    [InlineData("10.0.0.1", OutboundRange.Private)]
    [InlineData("172.16.0.1", OutboundRange.Private)]
    [InlineData("172.31.255.255", OutboundRange.Private)]
    [InlineData("192.168.1.1", OutboundRange.Private)]
    [InlineData("100.64.0.1", OutboundRange.Private)]
    [InlineData("100.127.255.254", OutboundRange.Private)]
    [InlineData("224.0.0.251", OutboundRange.Multicast)]
    [InlineData("255.255.255.255", OutboundRange.Multicast)]
    [InlineData("0.0.0.0", OutboundRange.Unspecified)]
    [InlineData("172.15.255.255", OutboundRange.Public)]
    [InlineData("172.32.0.1", OutboundRange.Public)]
    [InlineData("100.128.0.1", OutboundRange.Public)]
    [InlineData("8.8.8.8", OutboundRange.Public)]
    [InlineData("203.0.113.7", OutboundRange.Public)]
    public void Classify_IPv4(string address, OutboundRange expected) =>
        Assert.Equal(expected, OutboundAddressRule.Classify(IPAddress.Parse(address)));

    [Theory]
    [InlineData("::1", OutboundRange.Loopback)]
    [InlineData("::", OutboundRange.Unspecified)]
    [InlineData("fe80::1", OutboundRange.LinkLocal)]
    [InlineData("febf::1", OutboundRange.LinkLocal)]
    [InlineData("fc00::1", OutboundRange.UniqueLocal)]
    [InlineData("fd00:ec2::254", OutboundRange.UniqueLocal)]
    [InlineData("ff02::1", OutboundRange.Multicast)]
    [InlineData("2001:db8::1", OutboundRange.Public)]
    [InlineData("2606:4700::1111", OutboundRange.Public)]
    public void Classify_IPv6(string address, OutboundRange expected) =>
        Assert.Equal(expected, OutboundAddressRule.Classify(IPAddress.Parse(address)));

    [Theory]
    [InlineData("::ffff:127.0.0.1", OutboundRange.Loopback)]
    [InlineData("::ffff:169.254.169.254", OutboundRange.LinkLocal)]
    [InlineData("::ffff:10.1.2.3", OutboundRange.Private)]
    [InlineData("64:ff9b::192.168.0.1", OutboundRange.Private)]
    [InlineData("::ffff:8.8.8.8", OutboundRange.Public)]
    public void Classify_IPv4CarriedInIPv6_IsJudgedAsTheIPv4Address(string address, OutboundRange expected) =>
        Assert.Equal(expected, OutboundAddressRule.Classify(IPAddress.Parse(address)));

    [Fact]
    public void Check_RefusedAddress_NamesTheRuleAndTheAddress()
    {
        var verdict = OutboundAddressRule.Check("localhost", IPAddress.Loopback, 8000, NoAllow, NoOwn);

        Assert.False(verdict.Allowed);
        Assert.Equal("loopback addresses are not allowed (127.0.0.1)", verdict.Reason);
    }

    [Fact]
    public void Check_MappedAddress_ReasonShowsTheIPv4Form()
    {
        var verdict = OutboundAddressRule.Check(null, IPAddress.Parse("::ffff:169.254.169.254"), 80, NoAllow, NoOwn);

        Assert.Equal("link-local and cloud metadata addresses are not allowed (169.254.169.254)", verdict.Reason);
    }

    [Fact]
    public void Check_PublicAddress_IsAllowedWithoutEntries() =>
        Assert.True(OutboundAddressRule.Check("api.example.com", IPAddress.Parse("93.184.216.34"), 443, NoAllow, NoOwn).Allowed);

    [Fact]
    public void Check_AddressAndPortEntry_LetsExactlyThatPortThrough()
    {
        var allow = Entries("127.0.0.1:8001");

        Assert.True(OutboundAddressRule.Check(null, IPAddress.Loopback, 8001, allow, NoOwn).Allowed);
        Assert.False(OutboundAddressRule.Check(null, IPAddress.Loopback, 8002, allow, NoOwn).Allowed);
        Assert.False(OutboundAddressRule.Check(null, IPAddress.Parse("127.0.0.2"), 8001, allow, NoOwn).Allowed);
    }

    [Fact]
    public void Check_CidrEntry_CoversItsNetworkOnly()
    {
        var allow = Entries("10.20.0.0/16");

        Assert.True(OutboundAddressRule.Check(null, IPAddress.Parse("10.20.255.1"), 80, allow, NoOwn).Allowed);
        Assert.True(OutboundAddressRule.Check(null, IPAddress.Parse("::ffff:10.20.0.9"), 80, allow, NoOwn).Allowed);
        Assert.False(OutboundAddressRule.Check(null, IPAddress.Parse("10.21.0.1"), 80, allow, NoOwn).Allowed);
    }

    [Fact]
    public void Check_IPv6CidrAndMappedEntries()
    {
        Assert.True(OutboundAddressRule.Check(null, IPAddress.Parse("fd12:3456::9"), 80, Entries("fd12:3456::/32"), NoOwn).Allowed);
        Assert.False(OutboundAddressRule.Check(null, IPAddress.Parse("fd12:3457::9"), 80, Entries("fd12:3456::/32"), NoOwn).Allowed);
        Assert.True(OutboundAddressRule.Check(null, IPAddress.Loopback, 9000, Entries("::ffff:127.0.0.0/104"), NoOwn).Allowed);
        Assert.True(OutboundAddressRule.Check(null, IPAddress.IPv6Loopback, 9000, Entries("[::1]:9000"), NoOwn).Allowed);
        Assert.False(OutboundAddressRule.Check(null, IPAddress.IPv6Loopback, 9001, Entries("[::1]:9000"), NoOwn).Allowed);
    }

    [Fact]
    public void Check_HostNameEntry_MatchesTheNameWrittenInTheUrl()
    {
        var allow = Entries("llm.internal:8443");

        Assert.True(OutboundAddressRule.Check("LLM.internal.", IPAddress.Parse("10.0.0.5"), 8443, allow, NoOwn).Allowed);
        Assert.False(OutboundAddressRule.Check("llm.internal", IPAddress.Parse("10.0.0.5"), 80, allow, NoOwn).Allowed);
        Assert.False(OutboundAddressRule.Check("other.internal", IPAddress.Parse("10.0.0.5"), 8443, allow, NoOwn).Allowed);
    }

    [Fact]
    public void Check_PortalsOwnAddress_IsRefusedEvenWhenAllowListed()
    {
        IReadOnlyCollection<IPEndPoint> own = [new IPEndPoint(IPAddress.Loopback, 5080)];

        var verdict = OutboundAddressRule.Check(null, IPAddress.Loopback, 5080, Entries("127.0.0.0/8"), own);

        Assert.False(verdict.Allowed);
        Assert.Equal(OutboundRange.OwnAddress, verdict.Range);
        Assert.Equal("the portal's own addresses are not allowed (127.0.0.1)", verdict.Reason);
        Assert.True(OutboundAddressRule.Check(null, IPAddress.Loopback, 5081, Entries("127.0.0.0/8"), own).Allowed);
    }

    [Fact]
    public void Check_ListenerOnEveryAddress_CoversLoopbackAtItsPort()
    {
        IReadOnlyCollection<IPEndPoint> own = [new IPEndPoint(IPAddress.IPv6Any, 5080)];

        Assert.Equal(OutboundRange.OwnAddress, OutboundAddressRule.Check(null, IPAddress.Parse("127.0.0.1"), 5080, Entries("127.0.0.1"), own).Range);
        Assert.Equal(OutboundRange.OwnAddress, OutboundAddressRule.Check(null, IPAddress.IPv6Loopback, 5080, Entries("::1"), own).Range);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10.0.0.0/33")]
    [InlineData("fd00::/129")]
    [InlineData("::ffff:10.0.0.0/64")]
    [InlineData("host:0")]
    [InlineData("host:70000")]
    [InlineData("[::1")]
    [InlineData("not a host")]
    public void TryParse_RefusesMalformedEntries(string text) => Assert.False(OutboundAllowEntry.TryParse(text, out _));

    [Fact]
    public void Exact_WritesIPv6InBrackets()
    {
        Assert.Equal("[::1]:8000", OutboundAllowEntry.Exact("::1", 8000).Text);
        Assert.Equal("127.0.0.1:8000", OutboundAllowEntry.Exact("127.0.0.1", 8000).Text);
        Assert.Equal("localhost", OutboundAllowEntry.Exact("localhost", 8000).Host);
    }

    private static OutboundAllowEntry[] Entries(params string[] texts) =>
        texts.Select(t => OutboundAllowEntry.TryParse(t, out var e) ? e! : throw new ArgumentException(t)).ToArray();
}
