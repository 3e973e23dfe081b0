using System.Collections.Concurrent;
using System.Net;
using Portal.Gateway.Outbound;

namespace Portal.Gateway.Tests.Support;

/// <summary>Host names a test points where it likes (and re-points mid-test), in place of DNS.</summary>
internal sealed class TestResolver : IOutboundResolver
{
    private readonly ConcurrentDictionary<string, IPAddress[]> _names = new(StringComparer.OrdinalIgnoreCase);

    public void Set(string host, params IPAddress[] addresses) => _names[host] = addresses;

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        Task.FromResult(_names.TryGetValue(host, out var addresses) ? addresses : []);
}
