using System.Net;
using Portal.Gateway.Seams;
using Portal.Gateway.Tests.Support;

namespace Portal.Gateway.Tests;

/// <summary>
/// Tenant-given upstreams (serverless and shadow targets) go through the guarded pool: inward addresses are refused at
/// connect time unless the operator allow-list names them, while the platform's own replicas on loopback are reached.
/// </summary>
public sealed class OutboundGuardTests
{
    private const string Model = "acme/chat";

    [Fact]
    public async Task ServerlessTargetOnLoopback_NotAllowListed_RefusedWithPlainError_AndNothingSent()
    {
        await using var upstream = await CaptureServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync();
        gateway.Directory.SetEndpoint(new GatewayEndpoint(Guid.NewGuid(), gateway.TenantId, Model, Serverless(new Uri(upstream.BaseUri, "v1/"))));
        using var client = gateway.Client();

        using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model));

        var error = await Simulators.AssertOpenAiErrorAsync(response, HttpStatusCode.BadGateway, "upstream_refused");
        Assert.DoesNotContain(upstream.BaseUri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), error.ToString());
        Assert.Empty(upstream.Received);
        var sample = Assert.Single(await gateway.Sink.WaitForAsync(1));
        Assert.Equal((502, "upstream_refused"), (sample.StatusCode, sample.ErrorCode));
    }

    [Fact]
    public async Task AllowListEntry_LetsExactlyThatTargetThrough()
    {
        await using var allowed = await CaptureServer.StartAsync();
        await using var other = await CaptureServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(allowOutbound: [allowed.BaseUri.Authority]);
        gateway.Directory.SetEndpoint(new GatewayEndpoint(Guid.NewGuid(), gateway.TenantId, Model, Serverless(new Uri(allowed.BaseUri, "v1/"))));
        gateway.Directory.SetEndpoint(new GatewayEndpoint(Guid.NewGuid(), gateway.TenantId, "acme/other", Serverless(new Uri(other.BaseUri, "v1/"))));
        using var client = gateway.Client();

        using var ok = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model));
        using var refused = await Simulators.PostChatAsync(client, Simulators.ChatBody("acme/other"));

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Single(allowed.Received);
        await Simulators.AssertOpenAiErrorAsync(refused, HttpStatusCode.BadGateway, "upstream_refused");
        Assert.Empty(other.Received);
    }

    [Fact]
    public async Task NameThatResolvesInward_RefusedAtConnectTime()
    {
        await using var upstream = await CaptureServer.StartAsync();
        var resolver = new TestResolver();
        resolver.Set("provider.test", IPAddress.Loopback);
        await using var gateway = await TestGateway.StartAsync(resolver: resolver);
        var target = Serverless(new Uri($"http://provider.test:{upstream.BaseUri.Port}/v1/"));
        gateway.Directory.SetEndpoint(new GatewayEndpoint(Guid.NewGuid(), gateway.TenantId, Model, target));
        using var client = gateway.Client();

        using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model));

        await Simulators.AssertOpenAiErrorAsync(response, HttpStatusCode.BadGateway, "upstream_refused");
        Assert.Empty(upstream.Received);
    }

    [Fact]
    public async Task AllowListedNetwork_StillRefusesTheGatewaysOwnAddress()
    {
        await using var gateway = await TestGateway.StartAsync(allowOutbound: ["127.0.0.0/8"]);
        // The gateway's own /v1 as a tenant's serverless base URL would send each request back through the gateway.
        gateway.Directory.SetEndpoint(new GatewayEndpoint(Guid.NewGuid(), gateway.TenantId, Model, Serverless(gateway.OpenAiBase)));
        using var client = gateway.Client();

        using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model));

        await Simulators.AssertOpenAiErrorAsync(response, HttpStatusCode.BadGateway, "upstream_refused");
        Assert.Equal("upstream_refused", Assert.Single(await gateway.Sink.WaitForAsync(1)).ErrorCode);
    }

    [Fact]
    public async Task ShadowTargetOnLoopback_CopiesRefused_PrimaryReplicaOnLoopbackServed()
    {
        await using var primary = await Simulators.StartAsync();
        await using var shadow = await CaptureServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync();
        gateway.AddDedicatedEndpoint(Model, [TestGateway.Replica(primary, "primary-0")],
            e => e with { Shadow = Serverless(new Uri(shadow.BaseUri, "v1/")), ShadowShare = 0.5 });
        using var client = gateway.Client();

        for (var i = 0; i < 20; i++)
        {
            using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var shadows = await gateway.Sink.WaitForAsync((int)gateway.Counters.ShadowCopiesStarted, s => s.Shadow);
        Assert.NotEmpty(shadows);
        Assert.All(shadows, s => Assert.Equal((502, "upstream_refused"), (s.StatusCode, s.ErrorCode)));
        Assert.Empty(shadow.Received);
    }

    private static GatewayTarget Serverless(Uri baseUri) => GatewayTarget.Serverless(Guid.NewGuid(), baseUri, "sk-upstream", "us-east");
}
