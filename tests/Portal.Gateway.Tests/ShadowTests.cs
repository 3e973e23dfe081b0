using System.Diagnostics;
using System.Net;
using Portal.Gateway.Seams;
using Portal.Gateway.Tests.Support;

namespace Portal.Gateway.Tests;

/// <summary>Shadow copies: the configured share is copied, measured and discarded, and never hurts the caller.</summary>
public sealed class ShadowTests
{
    private const string Model = "acme/chat";

    [Fact]
    public async Task ShareOf20Percent_About60Of300Copied_AndMeasured()
    {
        await using var primary = await Simulators.StartAsync();
        await using var shadow = await Simulators.StartAsync();
        await using var gateway = await TestGateway.StartAsync();
        var shadowTarget = gateway.AddDedicatedTarget(TestGateway.Replica(shadow, "shadow-0"));
        gateway.AddDedicatedEndpoint(Model, [TestGateway.Replica(primary, "primary-0")],
            e => e with { Shadow = shadowTarget, ShadowShare = 0.2 });
        using var client = gateway.Client();

        for (var batch = 0; batch < 30; batch++)
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, 10)
                .Select(i => Simulators.PostChatAsync(client, Simulators.ChatBody(Model, maxTokens: 2, stream: i % 2 == 0))));
            Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        }

        var started = gateway.Counters.ShadowCopiesStarted;
        var shadows = await gateway.Sink.WaitForAsync((int)started, s => s.Shadow);
        Assert.InRange(shadows.Count, 35, 85);
        Assert.Equal(0, gateway.Counters.ShadowCopiesDropped);
        Assert.All(shadows, s => Assert.Equal((200, shadowTarget.Id, "shadow-0"), (s.StatusCode, s.TargetId!.Value, s.ReplicaId!)));
        Assert.Contains(shadows, s => s.Streamed && s.TtftMs is not null && s.CompletionTokens == 2);
        // Copies of non-streamed requests are streamed from the shadow target too, so every copy has a TTFT.
        Assert.Contains(shadows, s => !s.Streamed && s.TtftMs is not null && s.CompletionTokens == 2);
        Assert.All(shadows, s => Assert.NotNull(s.TtftMs));
        Assert.Equal(300, (await gateway.Sink.WaitForAsync(300, s => !s.Shadow)).Count);
        Assert.Equal(shadows.Count, await Simulators.ServedCountAsync(shadow));
    }

    [Fact]
    public async Task ShadowTargetDown_ClientUnaffected_FailuresRecordedAsShadowSamples()
    {
        await using var primary = await Simulators.StartAsync();
        await using var gateway = await TestGateway.StartAsync();
        var shadowTarget = gateway.AddDedicatedTarget(TestGateway.Replica(Simulators.ClosedPort(), "shadow-down"));
        gateway.AddDedicatedEndpoint(Model, [TestGateway.Replica(primary, "primary-0")],
            e => e with { Shadow = shadowTarget, ShadowShare = 0.5 });
        using var client = gateway.Client();

        for (var i = 0; i < 40; i++)
        {
            using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model, stream: true));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.EndsWith("data: [DONE]\n\n", await response.Content.ReadAsStringAsync());
        }

        var shadows = await gateway.Sink.WaitForAsync((int)gateway.Counters.ShadowCopiesStarted, s => s.Shadow);
        Assert.NotEmpty(shadows);
        Assert.All(shadows, s => Assert.Equal((502, "upstream_unavailable"), (s.StatusCode, s.ErrorCode)));
        Assert.All(await gateway.Sink.WaitForAsync(40, s => !s.Shadow), s => Assert.Equal(200, s.StatusCode));
    }

    [Fact]
    public async Task ShadowTargetVerySlow_ClientLatencyUnchanged_ExcessCopiesDroppedAndCounted()
    {
        await using var primary = await Simulators.StartAsync();
        await using var shadow = await Simulators.StartAsync(Simulators.Instant with { PrefillOverheadMs = 10_000 });
        await using var gateway = await TestGateway.StartAsync(o => o.MaxConcurrentShadowCopies = 2);
        var shadowTarget = gateway.AddDedicatedTarget(TestGateway.Replica(shadow, "shadow-slow"));
        gateway.AddDedicatedEndpoint(Model, [TestGateway.Replica(primary, "primary-0")],
            e => e with { Shadow = shadowTarget, ShadowShare = 0.5 });
        using var client = gateway.Client();

        var latencies = new List<TimeSpan>();
        for (var i = 0; i < 40; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model));
            latencies.Add(watch.Elapsed);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // A copy the client waited for would take the shadow's 10 s; half of that is far from any stall of the machine.
        Assert.True(latencies.Max() < TimeSpan.FromSeconds(5), $"slowest {latencies.Max()}");
        Assert.Equal(2, gateway.Counters.ShadowCopiesStarted);
        Assert.True(gateway.Counters.ShadowCopiesDropped >= 5, $"dropped {gateway.Counters.ShadowCopiesDropped}");
    }

    [Fact]
    public async Task ShadowTargetOutsideRegionLock_NothingCopied()
    {
        await using var primary = await Simulators.StartAsync();
        await using var foreign = await Simulators.StartAsync();
        await using var gateway = await TestGateway.StartAsync();
        var shadowTarget = gateway.AddDedicatedTarget(TestGateway.Replica(foreign, "us-shadow", region: "us-east"));
        gateway.AddDedicatedEndpoint(Model, [TestGateway.Replica(primary, "eu-0", region: "eu-west")],
            e => e with { Shadow = shadowTarget, ShadowShare = 0.5, AllowedRegions = new HashSet<string> { "eu-west" } });
        using var client = gateway.Client();

        for (var i = 0; i < 20; i++)
        {
            using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var shadows = await gateway.Sink.WaitForAsync((int)gateway.Counters.ShadowCopiesStarted, s => s.Shadow);
        Assert.All(shadows, s => Assert.Equal(("no_capacity", (string?)null), (s.ErrorCode, s.ReplicaId)));
        Assert.Equal(0, await Simulators.ServedCountAsync(foreign));
    }
}
