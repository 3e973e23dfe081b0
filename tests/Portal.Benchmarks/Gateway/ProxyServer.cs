using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Core.Gateway;
using Portal.Core.Keys;
using Portal.Gateway;
using Portal.Gateway.Seams;
using Yarp.ReverseProxy.Forwarder;

namespace Portal.Benchmarks.Gateway;

/// <summary>
/// The proxy under test, run as a child process so its CPU time is its own: <c>bare</c> is YARP's forwarder with no
/// logic at all; <c>portal</c> is the gateway with a real key, directory look-ups, routing and measurement.
/// Prints <c>READY &lt;url&gt; &lt;key&gt;</c> once listening and runs until stdin closes.
/// </summary>
internal static class ProxyServer
{
    public const string Model = "bench/chat";

    public static async Task<int> RunAsync(string kind, Uri upstream)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.AddServerHeader = false;
        });

        var key = "-";
        if (kind == "portal")
        {
            var generated = InferenceKey.Generate();
            key = generated.Plaintext;
            builder.Services.AddSingleton<IGatewayDirectory>(new BenchmarkDirectory(generated.Hash, upstream));
            builder.Services.AddSingleton<IReplicaStateProvider>(new BenchmarkDirectory(generated.Hash, upstream));
            builder.Services.AddSingleton<ISampleSink, CountingSink>();
            builder.Services.AddPortalGateway();
        }
        else
        {
            builder.Services.AddHttpForwarder();
        }

        var app = builder.Build();
        if (kind == "portal")
        {
            app.MapPortalGateway("/v1");
        }
        else
        {
            var forwarder = app.Services.GetRequiredService<IHttpForwarder>();
            var invoker = new HttpMessageInvoker(new SocketsHttpHandler
            {
                UseProxy = false,
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.None,
                UseCookies = false,
                EnableMultipleHttp2Connections = true,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            });
            var prefix = upstream.GetLeftPart(UriPartial.Authority);
            var config = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromMinutes(5) };
            app.Map("/v1/{**rest}", (RequestDelegate)(async context => await forwarder.SendAsync(context, prefix, invoker, config, HttpTransformer.Empty)));
        }

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Console.WriteLine($"READY {address} {key}");
        await Console.In.ReadToEndAsync();
        await app.StopAsync();
        return 0;
    }

    private sealed class BenchmarkDirectory(string keyHash, Uri upstream) : IGatewayDirectory, IReplicaStateProvider
    {
        private static readonly Guid _tenant = Guid.NewGuid();
        private static readonly GatewayKey _key = new(Guid.NewGuid(), _tenant, InferenceKeyScopes.All);
        private static readonly GatewayEndpoint _endpoint = new(Guid.NewGuid(), _tenant, Model,
            GatewayTarget.Dedicated(Guid.NewGuid(), "bench", saturationBound: 100_000));

        private readonly GatewayReplica[] _replicas = [new("replica-0", new Uri(upstream, "v1/"), "local", ReplicaRouteState.Ready)];

        public ValueTask<GatewayKey?> FindKeyAsync(string hash, CancellationToken cancellationToken) =>
            ValueTask.FromResult(hash == keyHash ? _key : null);

        public ValueTask<GatewayEndpoint?> FindEndpointAsync(Guid tenantId, string model, CancellationToken cancellationToken) =>
            ValueTask.FromResult(tenantId == _tenant && model == Model ? _endpoint : null);

        public ValueTask<IReadOnlyList<GatewayEndpoint>> ListEndpointsAsync(Guid tenantId, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<GatewayEndpoint>>([_endpoint]);

        public IReadOnlyList<GatewayReplica> GetReplicas(Guid targetId) => _replicas;
    }

    private sealed class CountingSink : ISampleSink
    {
        private long _count;

        public Task WriteBatchAsync(IReadOnlyList<RequestSample> samples, CancellationToken cancellationToken)
        {
            Interlocked.Add(ref _count, samples.Count);
            return Task.CompletedTask;
        }
    }
}
