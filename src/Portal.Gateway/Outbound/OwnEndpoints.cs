using System.Net;
using System.Net.NetworkInformation;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Portal.Gateway.Outbound;

/// <summary>
/// Once the server listens, tells <see cref="OutboundGuard"/> its addresses, so a base URL of the portal's own /v1 cannot
/// loop the gateway through itself even where the operator allowed its network.
/// </summary>
internal sealed class OwnEndpoints(IServiceProvider services, IHostApplicationLifetime lifetime, OutboundGuard guard) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            if (services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>() is { } feature)
            {
                guard.SetOwnEndpoints(From(feature.Addresses));
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Listening URLs as endpoints: a wildcard host stands for every address of the machine, localhost for loopback.</summary>
    public static IReadOnlyList<IPEndPoint> From(IEnumerable<string> addresses)
    {
        var endpoints = new List<IPEndPoint>();
        foreach (var text in addresses)
        {
            BindingAddress binding;
            try
            {
                binding = BindingAddress.Parse(text);
            }
            catch (FormatException)
            {
                continue;
            }

            var host = binding.Host.Trim('[', ']');
            if (IPAddress.TryParse(host, out var ip) && !ip.Equals(IPAddress.Any) && !ip.Equals(IPAddress.IPv6Any))
            {
                endpoints.Add(new IPEndPoint(ip, binding.Port));
            }
            else if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
            {
                endpoints.Add(new IPEndPoint(IPAddress.Loopback, binding.Port));
                endpoints.Add(new IPEndPoint(IPAddress.IPv6Loopback, binding.Port));
            }
            else
            {
                endpoints.Add(new IPEndPoint(IPAddress.IPv6Any, binding.Port));
                endpoints.AddRange(MachineAddresses().Select(a => new IPEndPoint(a, binding.Port)));
            }
        }

        return endpoints;
    }

    private static IEnumerable<IPAddress> MachineAddresses()
    {
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(n => n.GetIPProperties().UnicastAddresses.Select(u => u.Address)).ToList();
        }
        catch (NetworkInformationException)
        {
            return [];
        }
    }
}
