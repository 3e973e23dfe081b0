using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Core.Outbound;

namespace Portal.Gateway.Outbound;

/// <summary>
/// Applies <see cref="OutboundAddressRule"/> to everything the portal fetches on a tenant's word. A handler it guards
/// resolves the host itself and checks each resolved address when it connects, so a name that resolves inward (at
/// creation or later) is refused too; it never follows redirects and never uses a proxy. The same rule answers
/// <see cref="CheckAsync"/> when a URL is created or changed.
/// </summary>
public sealed partial class OutboundGuard(IOptionsMonitor<OutboundOptions> options, IOutboundResolver resolver, ILogger<OutboundGuard> logger)
{
    private readonly ConcurrentDictionary<string, OutboundAllowEntry> _platformAllowed = new(StringComparer.OrdinalIgnoreCase);
    private IReadOnlyCollection<IPEndPoint> _own = [];
    private ParsedAllow? _parsed;

    /// <summary>
    /// Lets exactly <paramref name="host"/>:<paramref name="port"/> through: for a process the platform itself started
    /// (the demo's serverless simulator), whose port is known only once it runs.
    /// </summary>
    public void AllowPlatformTarget(string host, int port)
    {
        var entry = OutboundAllowEntry.Exact(host, port);
        _platformAllowed[entry.Text] = entry;
    }

    /// <summary>The addresses this process listens on; calls to them are refused whatever the allow-list says.</summary>
    public void SetOwnEndpoints(IEnumerable<IPEndPoint> endpoints) => _own = endpoints.ToArray();

    /// <summary>Why a URL given for outbound calls is refused ("loopback addresses are not allowed (127.0.0.1)"), or null.</summary>
    /// <remarks>A name that does not resolve now is not refused here: the check at connect time decides each call.</remarks>
    public async Task<string?> CheckAsync(Uri uri, CancellationToken cancellationToken)
    {
        var port = uri.Port;
        foreach (var address in await ResolveAsync(uri.IdnHost, cancellationToken))
        {
            var verdict = Check(uri.IdnHost, address, port);
            if (!verdict.Allowed)
            {
                return verdict.Reason;
            }
        }

        return null;
    }

    /// <summary>A refusal from <see cref="CheckAsync"/> as a field error: the rule, the address, and who can allow it.</summary>
    public static string Explain(string reason) =>
        $"{reason}: the portal calls internal addresses only where the operator allows them (Outbound:Allow).";

    /// <summary>Makes <paramref name="handler"/> connect only to allowed addresses, without proxy or redirects.</summary>
    public SocketsHttpHandler Guard(SocketsHttpHandler handler)
    {
        handler.UseProxy = false;
        handler.AllowAutoRedirect = false;
        handler.ConnectCallback = ConnectAsync;
        return handler;
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var port = context.DnsEndPoint.Port;
        var addresses = await ResolveAsync(host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new HttpRequestException(HttpRequestError.NameResolutionError, "The host name did not resolve.");
        }

        Exception? last = null;
        string? refusal = null;
        foreach (var address in addresses)
        {
            var verdict = Check(host, address, port);
            if (!verdict.Allowed)
            {
                refusal ??= verdict.Reason;
                continue;
            }

            var socket = new Socket(verdict.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(verdict.Address, port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                socket.Dispose();
                if (e is OperationCanceledException)
                {
                    throw;
                }

                last = e;
            }
        }

        if (last is not null)
        {
            throw last;
        }

        LogRefused(logger, host, port, refusal!);
        throw new OutboundRefusedException(refusal!);
    }

    private OutboundVerdict Check(string host, IPAddress address, int port) =>
        OutboundAddressRule.Check(IPAddress.TryParse(host.Trim('[', ']'), out _) ? null : host, address, port, Allowed(), _own);

    private IReadOnlyList<OutboundAllowEntry> Allowed()
    {
        // Parsed once per configuration value: a reload brings a new list.
        var current = options.CurrentValue;
        var parsed = _parsed;
        if (parsed is null || !ReferenceEquals(parsed.Source, current.Allow))
        {
            parsed = new ParsedAllow(current.Allow, current.ParseAllow());
            _parsed = parsed;
        }

        return _platformAllowed.IsEmpty ? parsed.Entries : [.. parsed.Entries, .. _platformAllowed.Values];
    }

    private sealed record ParsedAllow(List<string> Source, IReadOnlyList<OutboundAllowEntry> Entries);

    private async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await resolver.ResolveAsync(host, cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbound call to {Host}:{Port} refused: {Reason}.")]
    private static partial void LogRefused(ILogger logger, string host, int port, string reason);
}
