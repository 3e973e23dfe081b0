using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Portal.Core.Outbound;

/// <summary>
/// One operator allow-list entry for outbound calls: a network (<c>10.20.0.0/16</c>), one address (<c>10.20.0.5</c>,
/// <c>[fd00::5]</c>) or a host name (<c>llm.internal</c>), each optionally with a port (<c>10.20.0.5:8000</c>,
/// <c>llm.internal:8443</c>). A name entry matches the host name written in the URL; an address entry matches the
/// address the name resolved to at connect time.
/// </summary>
public sealed record OutboundAllowEntry
{
    private OutboundAllowEntry(string text, IPAddress? network, int prefixLength, string? host, int? port)
    {
        Text = text;
        Network = network;
        PrefixLength = prefixLength;
        Host = host;
        Port = port;
    }

    public string Text { get; }

    public IPAddress? Network { get; }

    public int PrefixLength { get; }

    public string? Host { get; }

    public int? Port { get; }

    /// <summary>An entry for exactly one host and port, as the platform adds for a process it started itself.</summary>
    public static OutboundAllowEntry Exact(string host, int port) =>
        TryParse(IPAddress.TryParse(host.Trim('[', ']'), out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6
            ? $"[{ip}]:{port.ToString(CultureInfo.InvariantCulture)}"
            : $"{host}:{port.ToString(CultureInfo.InvariantCulture)}", out var entry)
            ? entry!
            : throw new ArgumentException($"{host}:{port} is not a host and port.", nameof(host));

    public static bool TryParse(string? text, out OutboundAllowEntry? entry)
    {
        entry = null;
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            if (!IPAddress.TryParse(value[..slash], out var network)
                || !int.TryParse(value[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)
                || prefix > (network.AddressFamily == AddressFamily.InterNetwork ? 32 : 128)
                || (network.IsIPv4MappedToIPv6 && prefix < 96))
            {
                return false;
            }

            entry = new OutboundAllowEntry(value, OutboundAddressRule.Normalize(network), prefix + Shift(network), null, null);
            return true;
        }

        var (hostPart, port) = SplitPort(value);
        if (hostPart is null)
        {
            return false;
        }

        if (IPAddress.TryParse(hostPart, out var address))
        {
            var normal = OutboundAddressRule.Normalize(address);
            entry = new OutboundAllowEntry(value, normal, normal.AddressFamily == AddressFamily.InterNetwork ? 32 : 128, null, port);
            return true;
        }

        if (Uri.CheckHostName(hostPart) != UriHostNameType.Dns)
        {
            return false;
        }

        entry = new OutboundAllowEntry(value, null, 0, hostPart.TrimEnd('.').ToLowerInvariant(), port);
        return true;
    }

    /// <summary>Whether this entry lets a call to <paramref name="host"/> (as written in the URL) at <paramref name="address"/>:<paramref name="port"/> through.</summary>
    public bool Matches(string? host, IPAddress address, int port)
    {
        if (Port is { } only && only != port)
        {
            return false;
        }

        if (Host is not null)
        {
            return host is not null && string.Equals(Host, host.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);
        }

        var normal = OutboundAddressRule.Normalize(address);
        return Network!.AddressFamily == normal.AddressFamily && SamePrefix(Network.GetAddressBytes(), normal.GetAddressBytes(), PrefixLength);
    }

    // An IPv4-mapped IPv6 network (::ffff:10.0.0.0/104) is stored as its IPv4 form, so its prefix loses the 96 mapped bits.
    private static int Shift(IPAddress network) => network.IsIPv4MappedToIPv6 ? -96 : 0;

    private static (string? Host, int? Port) SplitPort(string value)
    {
        if (value.StartsWith('['))
        {
            var close = value.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return (null, null);
            }

            var inner = value[1..close];
            var rest = value[(close + 1)..];
            if (rest.Length == 0)
            {
                return (inner, null);
            }

            return rest.StartsWith(':') && ParsePort(rest[1..]) is { } p ? (inner, p) : (null, null);
        }

        var colon = value.LastIndexOf(':');
        if (colon < 0 || value.IndexOf(':', StringComparison.Ordinal) != colon)
        {
            // No colon, or several: a bare IPv6 address without a port.
            return (value, null);
        }

        return ParsePort(value[(colon + 1)..]) is { } port ? (value[..colon], port) : (null, null);
    }

    private static int? ParsePort(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535 ? port : null;

    private static bool SamePrefix(byte[] a, byte[] b, int bits)
    {
        var whole = bits / 8;
        for (var i = 0; i < whole; i++)
        {
            if (a[i] != b[i])
            {
                return false;
            }
        }

        var rest = bits % 8;
        if (rest == 0)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - rest));
        return (a[whole] & mask) == (b[whole] & mask);
    }
}
