using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Options;
using Portal.Gateway.Outbound;
using Yarp.ReverseProxy.Forwarder;

namespace Portal.Gateway.Forwarding;

/// <summary>
/// The gateway's two connection pools: one for the replicas the platform runs, one guarded by <see cref="OutboundGuard"/>
/// for the base URLs tenants give (serverless primary and shadow targets).
/// </summary>
internal sealed class UpstreamInvoker : IDisposable
{
    public UpstreamInvoker(IOptions<GatewayOptions> options, OutboundGuard guard)
    {
        var settings = options.Value;
        Invoker = new HttpMessageInvoker(Handler(settings), disposeHandler: true);
        TenantInvoker = new HttpMessageInvoker(guard.Guard(Handler(settings)), disposeHandler: true);
    }

    /// <summary>For platform-owned replicas.</summary>
    public HttpMessageInvoker Invoker { get; }

    /// <summary>For tenant-given URLs: every connection is checked against the outbound rule.</summary>
    public HttpMessageInvoker TenantInvoker { get; }

    /// <summary>The pool for one attempt: a route without a replica is a tenant-given URL.</summary>
    public HttpMessageInvoker For(string? replicaId) => replicaId is null ? TenantInvoker : Invoker;

    public void Dispose()
    {
        Invoker.Dispose();
        TenantInvoker.Dispose();
    }

    private static SocketsHttpHandler Handler(GatewayOptions settings) => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        // The gateway scans the bytes it forwards, so it asks for them uncompressed and leaves them so.
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        EnableMultipleHttp2Connections = true,
        PooledConnectionLifetime = settings.PooledConnectionLifetime,
        ConnectTimeout = settings.ConnectTimeout,
        ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.Current),
    };
}
