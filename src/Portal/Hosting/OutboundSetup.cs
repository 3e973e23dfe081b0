using Microsoft.Extensions.Options;
using Portal.Gateway.Outbound;

namespace Portal.Hosting;

/// <summary>
/// HTTP clients for what the portal fetches on a tenant's word (probes and scrapes of serverless targets, webhooks):
/// every connection goes through <see cref="OutboundGuard"/>, no redirects, no proxy, a short connect timeout and a
/// cap on any response body read whole (<c>Outbound:MaxResponseBytes</c>).
/// </summary>
public static class OutboundSetup
{
    public static IHttpClientBuilder AddGuardedHttpClient(this IServiceCollection services, string name, TimeSpan? timeout = null) =>
        services.AddHttpClient(name)
            .ConfigureHttpClient((sp, client) =>
            {
                client.MaxResponseContentBufferSize = sp.GetRequiredService<IOptions<OutboundOptions>>().Value.MaxResponseBytes;
                if (timeout is { } limit)
                {
                    client.Timeout = limit;
                }
            })
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<OutboundGuard>().Guard(new SocketsHttpHandler
            {
                ConnectTimeout = sp.GetRequiredService<IOptions<OutboundOptions>>().Value.ConnectTimeout,
                UseCookies = false,
            }));
}
