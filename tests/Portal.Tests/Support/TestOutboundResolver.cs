using System.Collections.Concurrent;
using System.Net;
using Portal.Gateway.Outbound;

namespace Portal.Tests.Support;

/// <summary>Host names a test points where it likes (and re-points mid-test); other names go to the system resolver.</summary>
internal sealed class TestOutboundResolver : IOutboundResolver
{
    private readonly ConcurrentDictionary<string, IPAddress[]> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly DnsOutboundResolver _dns = new();

    public void Set(string host, params IPAddress[] addresses) => _names[host] = addresses;

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        _names.TryGetValue(host, out var addresses) ? Task.FromResult(addresses) : _dns.ResolveAsync(host, cancellationToken);
}
