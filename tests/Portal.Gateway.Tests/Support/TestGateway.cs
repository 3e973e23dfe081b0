using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Core.Gateway;
using Portal.Gateway.Outbound;
using Portal.Gateway.Samples;
using Portal.Gateway.Seams;
using Portal.Simulator;

namespace Portal.Gateway.Tests.Support;

/// <summary>
/// The gateway in a minimal host on a free loopback port, with in-memory directory, replicas and sink standing in for
/// the portal's database-backed ones. One tenant and one key with every scope are ready to use.
/// </summary>
internal sealed class TestGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _stopped;

    private TestGateway(WebApplication app, Uri baseUri, InMemoryDirectory directory, InMemoryReplicas replicas, RecordingSink sink)
    {
        _app = app;
        BaseUri = baseUri;
        Directory = directory;
        Replicas = replicas;
        Sink = sink;
        Key = directory.AddKey(TenantId);
    }

    public Guid TenantId { get; } = Guid.NewGuid();

    /// <summary>A key of <see cref="TenantId"/> with every scope and no limits.</summary>
    public string Key { get; }

    public Uri BaseUri { get; }

    /// <summary>The OpenAI base URL clients use: <c>…/v1/</c>.</summary>
    public Uri OpenAiBase => new(BaseUri, "v1/");

    public InMemoryDirectory Directory { get; }

    public InMemoryReplicas Replicas { get; }

    public RecordingSink Sink { get; }

    public IServiceProvider Services => _app.Services;

    public SampleQueue SampleQueue => Services.GetRequiredService<SampleQueue>();

    public GatewayCounters Counters => Services.GetRequiredService<GatewayCounters>();

    /// <param name="allowOutbound">Operator allow-list entries (<c>Outbound:Allow</c>) for tenant-given upstreams.</param>
    /// <param name="resolver">Resolves host names of tenant-given upstreams instead of the system resolver.</param>
    public static async Task<TestGateway> StartAsync(
        Action<GatewayOptions>? configure = null, RecordingSink? sink = null, IEnumerable<string>? allowOutbound = null, IOutboundResolver? resolver = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("GATEWAY_TEST_LOG") is not null)
        {
            builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Information);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Limits.MinResponseDataRate = null;
        });
        var directory = new InMemoryDirectory();
        var replicas = new InMemoryReplicas();
        sink ??= new RecordingSink();
        builder.Services.AddSingleton<IGatewayDirectory>(directory);
        builder.Services.AddSingleton<IReplicaStateProvider>(replicas);
        builder.Services.AddSingleton<ISampleSink>(sink);
        builder.Services.Configure<OutboundOptions>(o => o.Allow.AddRange(allowOutbound ?? []));
        if (resolver is not null)
        {
            builder.Services.AddSingleton(resolver);
        }

        builder.Services.AddPortalGateway(options =>
        {
            options.SampleFlushInterval = TimeSpan.FromMilliseconds(20);
            configure?.Invoke(options);
        });
        var app = builder.Build();
        app.MapPortalGateway("/v1");
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestGateway(app, new Uri(address.TrimEnd('/') + "/"), directory, replicas, sink);
    }

    /// <summary>An endpoint named <paramref name="model"/> whose primary is a dedicated target with these simulators as replicas.</summary>
    public GatewayEndpoint AddDedicatedEndpoint(string model, params SimulatorServer[] simulators) =>
        AddDedicatedEndpoint(model, [.. simulators.Select((s, i) => Replica(s, $"{model}-r{i}"))]);

    public GatewayEndpoint AddDedicatedEndpoint(string model, GatewayReplica[] replicas, Func<GatewayEndpoint, GatewayEndpoint>? adjust = null, int saturationBound = 64)
    {
        var target = GatewayTarget.Dedicated(Guid.NewGuid(), Simulators.Model, saturationBound);
        Replicas.Set(target.Id, replicas);
        var endpoint = new GatewayEndpoint(Guid.NewGuid(), TenantId, model, target) { CreatedAt = DateTimeOffset.UtcNow };
        endpoint = adjust?.Invoke(endpoint) ?? endpoint;
        Directory.SetEndpoint(endpoint);
        return endpoint;
    }

    public GatewayTarget AddDedicatedTarget(params GatewayReplica[] replicas)
    {
        var target = GatewayTarget.Dedicated(Guid.NewGuid(), Simulators.Model);
        Replicas.Set(target.Id, replicas);
        return target;
    }

    public static GatewayReplica Replica(
        SimulatorServer simulator, string id, string region = "us-west", bool burst = false, ReplicaRouteState state = ReplicaRouteState.Ready) =>
        new(id, new Uri(simulator.BaseUri, "v1/"), region, state, burst);

    public static GatewayReplica Replica(Uri root, string id, string region = "us-west") =>
        new(id, new Uri(root, "v1/"), region, ReplicaRouteState.Ready);

    public HttpClient Client(string? key = null)
    {
        var client = new HttpClient { BaseAddress = OpenAiBase, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key ?? Key);
        return client;
    }

    /// <summary>A graceful stop, as on SIGTERM: the server drains, then the sample writer drains.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _app.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }
}
