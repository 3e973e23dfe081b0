using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Portal.Hosting;

/// <summary>
/// Behind a TLS-terminating proxy or load balancer: with <c>ForwardedHeaders:Enabled</c>, the client address and scheme
/// come from <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> sent by a trusted proxy (<c>KnownProxies</c>, addresses;
/// <c>KnownNetworks</c>, CIDR ranges; loopback when neither is set). Cookies are then Secure because the request is
/// HTTPS, rate limits and the audit trail see the client's address, and nobody else can claim one. The Host header is
/// never taken from the proxy: the OIDC issuer is configured (<c>OpenIddict:Issuer</c>).
/// </summary>
public static class ProxySetup
{
    public const string SectionName = "ForwardedHeaders";

    public static IHostApplicationBuilder AddPortalProxySupport(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(SectionName);
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            var proxies = section.GetSection("KnownProxies").Get<string[]>() ?? [];
            var networks = section.GetSection("KnownNetworks").Get<string[]>() ?? [];
            if (proxies.Length + networks.Length > 0)
            {
                options.KnownProxies.Clear();
                options.KnownIPNetworks.Clear();
                foreach (var proxy in proxies)
                {
                    options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address) ? address
                        : throw new InvalidOperationException($"ForwardedHeaders:KnownProxies has '{proxy}', which is not an IP address."));
                }

                foreach (var network in networks)
                {
                    options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var range) ? range
                        : throw new InvalidOperationException($"ForwardedHeaders:KnownNetworks has '{network}', which is not a CIDR range like 10.0.0.0/8."));
                }
            }
        });
        return builder;
    }

    /// <summary>First in the pipeline, so everything after it (the gateway included) sees the client's address and scheme.</summary>
    public static WebApplication UsePortalProxySupport(this WebApplication app)
    {
        if (app.Configuration.GetValue<bool>($"{SectionName}:Enabled"))
        {
            app.UseForwardedHeaders();
        }

        return app;
    }
}
