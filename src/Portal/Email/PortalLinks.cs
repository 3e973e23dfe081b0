using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Portal.Email;

/// <summary>Absolute links for messages: under <c>Email:PublicBaseUrl</c>, else under the portal's own listening address.</summary>
public sealed class PortalLinks(IOptionsMonitor<EmailOptions> options, IServer server)
{
    public string To(string pathAndQuery) => new Uri(BaseUri(), pathAndQuery.TrimStart('/')).ToString();

    private Uri BaseUri()
    {
        if (options.CurrentValue.PublicBaseUrl is { Length: > 0 } configured)
        {
            return new Uri(configured.EndsWith('/') ? configured : configured + "/");
        }

        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Set Email:PublicBaseUrl: the portal has no listening address to link to.");
        var uri = new UriBuilder(address.Replace("://+", "://localhost").Replace("://*", "://localhost")) { Path = "/" };
        if (uri.Host is "0.0.0.0" or "[::]" or "::")
        {
            uri.Host = "localhost";
        }

        return uri.Uri;
    }
}
