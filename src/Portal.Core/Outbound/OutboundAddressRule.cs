using System.Net;
using System.Net.Sockets;

namespace Portal.Core.Outbound;

/// <summary>Why an address is not reached on a tenant's word; <see cref="Public"/> when nothing speaks against it.</summary>
public enum OutboundRange
{
    Public,
    Loopback,
    LinkLocal,
    Private,
    UniqueLocal,
    Multicast,
    Unspecified,
    OwnAddress,
}

/// <summary>The answer for one resolved address: allowed, or refused with the range that refused it.</summary>
public readonly record struct OutboundVerdict(bool Allowed, OutboundRange Range, IPAddress Address)
{
    /// <summary>"loopback addresses are not allowed (127.0.0.1)": names the rule and the address it met.</summary>
    public string Reason => Allowed ? string.Empty : $"{OutboundAddressRule.Describe(Range)} are not allowed ({Address})";
}

/// <summary>
/// Which addresses the portal may call on a tenant's word (a serverless or shadow base URL, a webhook): by default none
/// inside the machine or the private network — loopback, link-local (cloud metadata lives there), private and shared
/// (10/8, 172.16/12, 192.168/16, 100.64/10), unique-local IPv6, multicast and broadcast, the unspecified address — and
/// never the portal's own listening addresses. Operator allow-list entries let named targets through, except the portal
/// itself. IPv4-mapped and NAT64 IPv6 forms are judged as the IPv4 address they carry.
/// </summary>
public static class OutboundAddressRule
{
    /// <summary>Judges one resolved address for a call to <paramref name="host"/> (as written in the URL) on <paramref name="port"/>.</summary>
    public static OutboundVerdict Check(
        string? host, IPAddress address, int port, IReadOnlyList<OutboundAllowEntry> allow, IReadOnlyCollection<IPEndPoint> ownEndpoints)
    {
        var normal = Normalize(address);
        if (IsOwn(normal, port, ownEndpoints))
        {
            return new OutboundVerdict(false, OutboundRange.OwnAddress, normal);
        }

        foreach (var entry in allow)
        {
            if (entry.Matches(host, normal, port))
            {
                return new OutboundVerdict(true, OutboundRange.Public, normal);
            }
        }

        var range = Classify(normal);
        return new OutboundVerdict(range == OutboundRange.Public, range, normal);
    }

    /// <summary>The range an address falls in, with no allow-list applied.</summary>
    public static OutboundRange Classify(IPAddress address)
    {
        var ip = Normalize(address);
        if (ip.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = ip.GetAddressBytes();
            return b switch
            {
                [0, ..] => OutboundRange.Unspecified,
                [127, ..] => OutboundRange.Loopback,
                [169, 254, ..] => OutboundRange.LinkLocal,
                [10, ..] => OutboundRange.Private,
                [172, >= 16 and <= 31, ..] => OutboundRange.Private,
                [192, 168, ..] => OutboundRange.Private,
                [100, >= 64 and <= 127, ..] => OutboundRange.Private,
                [>= 224 and <= 239, ..] => OutboundRange.Multicast,
                [255, 255, 255, 255] => OutboundRange.Multicast,
                _ => OutboundRange.Public,
            };
        }

        if (ip.Equals(IPAddress.IPv6Any))
        {
            return OutboundRange.Unspecified;
        }

        if (ip.Equals(IPAddress.IPv6Loopback))
        {
            return OutboundRange.Loopback;
        }

        var bytes = ip.GetAddressBytes();
        return bytes switch
        {
            [0xFE, >= 0x80 and <= 0xBF, ..] => OutboundRange.LinkLocal,
            [0xFE, >= 0xC0, ..] => OutboundRange.Private, // deprecated site-local fec0::/10
            [>= 0xFC and <= 0xFD, ..] => OutboundRange.UniqueLocal,
            [0xFF, ..] => OutboundRange.Multicast,
            _ => OutboundRange.Public,
        };
    }

    /// <summary>An IPv4-mapped (<c>::ffff:a.b.c.d</c>) or NAT64 (<c>64:ff9b::a.b.c.d</c>) address as the IPv4 address it carries.</summary>
    public static IPAddress Normalize(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            if (b is [0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0, ..])
            {
                return new IPAddress(b.AsSpan(12, 4));
            }
        }

        return address;
    }

    public static string Describe(OutboundRange range) => range switch
    {
        OutboundRange.Loopback => "loopback addresses",
        OutboundRange.LinkLocal => "link-local and cloud metadata addresses",
        OutboundRange.Private => "private network addresses",
        OutboundRange.UniqueLocal => "unique-local IPv6 addresses",
        OutboundRange.Multicast => "multicast and broadcast addresses",
        OutboundRange.Unspecified => "unspecified addresses",
        OutboundRange.OwnAddress => "the portal's own addresses",
        _ => "public addresses",
    };

    private static bool IsOwn(IPAddress address, int port, IReadOnlyCollection<IPEndPoint> ownEndpoints)
    {
        foreach (var own in ownEndpoints)
        {
            if (own.Port != port)
            {
                continue;
            }

            var listening = Normalize(own.Address);
            // A listener on the unspecified address answers on every address of the machine, loopback included.
            if (listening.Equals(address)
                || ((listening.Equals(IPAddress.Any) || listening.Equals(IPAddress.IPv6Any)) && Classify(address) == OutboundRange.Loopback))
            {
                return true;
            }
        }

        return false;
    }
}
