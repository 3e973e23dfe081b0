using System.Net;
using System.Net.Sockets;

namespace Portal.Gateway.Outbound;

/// <summary>Resolves host names for outbound calls; tests put their own names here instead of editing a hosts file.</summary>
public interface IOutboundResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

/// <summary>The system resolver.</summary>
public sealed class DnsOutboundResolver : IOutboundResolver
{
    public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        try
        {
            return await Dns.GetHostAddressesAsync(host, cancellationToken);
        }
        catch (SocketException)
        {
            return [];
        }
    }
}
