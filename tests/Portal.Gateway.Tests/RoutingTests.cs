using System.Net;
using Portal.Core.Gateway;
using Portal.Gateway.Seams;
using Portal.Gateway.Tests.Support;
using Portal.Simulator;

namespace Portal.Gateway.Tests;

/// <summary>Least outstanding requests, failover before the first byte, draining, burst, region lock and flips.</summary>
public sealed class RoutingTests
{
    private const string Model = "acme/chat";

    [Fact]
    public async Task OneReplicaPortClosed_AllRequestsSucceedViaTheOther()
    {
        await using var alive = await Simulators.StartAsync();
        await using var gateway = await TestGateway.StartAsync();
        gateway.AddDedicatedEndpoint(Model,
            [TestGateway.Replica(Simulators.ClosedPort(), "dead"), TestGateway.Replica(alive, "alive")]);
        using var client = gateway.Client();

        for (var i = 0; i < 10; i++)
        {
            using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model, stream: i % 2 == 0));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var samples = await gateway.Sink.WaitForAsync(10);
        Assert.All(samples, s => Assert.Equal(("alive", 200), (s.ReplicaId, s.StatusCode)));
        Assert.Contains(samples, s => s.Attempts == 2);
    }

    [Fact]
    public async Task EachReplicaIsCalledWithItsOwnSecret_NeverTheCallersKey()
    {
        await using var first = await Simulators.StartAsync(Simulators.Instant with { ApiKey = "rs_first" });
        await using var second = await Simulators.StartAsync(Simulators.Instant with { ApiKey = "rs_second" });
        await using var gateway = await TestGateway.StartAsync();
        gateway.AddDedicatedEndpoint(Model,
        [
            TestGateway.Replica(first, "first") with { ApiKey = "rs_first" },
            TestGateway.Replica(second, "second") with { ApiKey = "rs_second" },
        ]);
        using var client = gateway.Client();

        for (var i = 0; i < 10; i++)
        {
            using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model, stream: i % 2 == 0));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var samples = await gateway.Sink.WaitForAsync(10);
        Assert.All(samples, s => Assert.Equal((200, 1), (s.StatusCode, s.Attempts)));
    }

    [Fact]
    public async Task OneReplicaAlways503_AllRequestsSucceedViaTheOther()
    {
        await using var failing = await Simulators.StartAsync(Simulators.Instant with { ErrorRate503 = 1 });
        await using var alive = await Simulators.StartAsync();
        await using var gateway = await TestGateway.StartAsync();
        gateway.AddDedicatedEndpoint(Model, [TestGateway.Replica(failing, "failing"), TestGateway.Replica(alive, "alive")]);
        using var client = gateway.Client();

        for (var i = 0; i < 10; i++)
        {
            using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model, stream: i % 2 == 0));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            if (i % 2 == 0)
            {
                Assert.Contains("[DONE]", await response.Content.ReadAsStringAsync());
            }
        }

        Assert.All(await gateway.Sink.WaitForAsync(10), s => Assert.Equal("alive", s.ReplicaId));
    }

    [Fact]
    public async Task EveryReplicaFails_502InOpenAiShape_AfterBoundedAttempts()
    {
        await using var gateway = await TestGateway.StartAsync(o => o.MaxAttempts = 2);
        gateway.AddDedicatedEndpoint(Model,
        [
            TestGateway.Replica(Simulators.ClosedPort(), "a"), TestGateway.Replica(Simulators.ClosedPort(), "b"),
            TestGateway.Replica(Simulators.ClosedPort(), "c"),
        ]);
        using var client = gateway.Client();

        using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model));

        await Simulators.AssertOpenAiErrorAsync(response, HttpStatusCode.BadGateway, "upstream_unavailable");
        var sample = Assert.Single(await gateway.Sink.WaitForAsync(1));
        Assert.Equal(2, sample.Attempts);
    }

    [Fact]
    public async Task SingleReplicaQueueFull_429PassedThrough()
    {
        await using var busy = await Simulators.StartAsync(Simulators.Instant with { ErrorRate429 = 1 });
        await using var gateway = await TestGateway.StartAsync();
        gateway.AddDedicatedEndpoint(Model, busy);
        using var client = gateway.Client();

        using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model));

        await Simulators.AssertOpenAiErrorAsync(response, HttpStatusCode.TooManyRequests);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task DrainingReplica_GetsNoNewRequests()
    {
        await using var draining = await Simulators.StartAsync();
        await using var ready = await Simulators.StartAsync();
        await using var gateway = await TestGateway.StartAsync();
        gateway.AddDedicatedEndpoint(Model,
            [TestGateway.Replica(draining, "draining", state: ReplicaRouteState.Draining), TestGateway.Replica(ready, "ready")]);
        using var client = gateway.Client();

        for (var i = 0; i < 8; i++)
        {
            using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(0, await Simulators.ServedCountAsync(draining));
        Assert.Equal(8, await Simulators.ServedCountAsync(ready));
    }

    [Fact]
    public async Task ConcurrentRequests_SpreadByLeastOutstanding()
    {
        // Requests stay outstanding for 2 s, so a stall while they are sent cannot let early ones finish and skew the count.
        var slow = Simulators.Instant with { PrefillOverheadMs = 2000 };
        await using var first = await Simulators.StartAsync(slow);
        await using var second = await Simulators.StartAsync(slow);
        await using var gateway = await TestGateway.StartAsync();
        gateway.AddDedicatedEndpoint(Model, first, second);
        using var client = gateway.Client();

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Simulators.PostChatAsync(client, Simulators.ChatBody(Model))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var onFirst = await Simulators.ServedCountAsync(first);
        Assert.InRange(onFirst, 5, 7);
        Assert.Equal(12, onFirst + await Simulators.ServedCountAsync(second));
    }

    [Fact]
    public async Task Burst_UsedOnlyWhenBaselineSaturated()
    {
        // Requests stay outstanding for 2 s, so a stall while the five are sent cannot leave the baseline unsaturated.
        var slow = Simulators.Instant with { PrefillOverheadMs = 2000 };
        await using var baseline = await Simulators.StartAsync(slow);
        await using var burst = await Simulators.StartAsync(slow);
        await using var gateway = await TestGateway.StartAsync();
        gateway.AddDedicatedEndpoint(Model,
            [TestGateway.Replica(baseline, "baseline"), TestGateway.Replica(burst, "burst", burst: true)], saturationBound: 3);
        using var client = gateway.Client();

        using (var alone = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model)))
        {
            Assert.Equal(HttpStatusCode.OK, alone.StatusCode);
        }

        Assert.Equal(0, await Simulators.ServedCountAsync(burst));
        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Simulators.PostChatAsync(client, Simulators.ChatBody(Model))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        // Three in flight saturate the baseline replica; the other two go to burst.
        var onBurst = await Simulators.ServedCountAsync(burst);
        Assert.InRange(onBurst, 1, 2);
        Assert.Equal(6, onBurst + await Simulators.ServedCountAsync(baseline));
        var samples = await gateway.Sink.WaitForAsync(6);
        Assert.Equal(onBurst, samples.Count(s => s.Burst && s.ReplicaId == "burst"));
    }

    [Fact]
    public async Task EveryReplicaAtItsQueueBound_429WithRetryAfter_WithoutReachingTheReplica()
    {
        await using var baseline = await Simulators.StartAsync(Simulators.Instant with { PrefillOverheadMs = 2500 });
        await using var gateway = await TestGateway.StartAsync(o => (o.MaxQueuedPerReplica, o.QueueFullRetryAfterSeconds) = (1, 3));
        gateway.AddDedicatedEndpoint(Model, [TestGateway.Replica(baseline, "baseline")], saturationBound: 1);
        using var client = gateway.Client();

        // One running and one queued fill the baseline replica (saturation bound 1 plus a queue of 1).
        var held = Enumerable.Range(0, 2).Select(_ => Simulators.PostChatAsync(client, Simulators.ChatBody(Model))).ToList();
        await WaitForRunningAsync(baseline, 2);
        using var refused = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model));
        var served = await Task.WhenAll(held);
        using var afterwards = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model));

        await Simulators.AssertOpenAiErrorAsync(refused, (HttpStatusCode)429, "queue_full");
        Assert.Equal(TimeSpan.FromSeconds(3), refused.Headers.RetryAfter?.Delta);
        Assert.All(served, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(HttpStatusCode.OK, afterwards.StatusCode);
        Assert.Equal(3, await Simulators.ServedCountAsync(baseline));
        var samples = await gateway.Sink.WaitForAsync(4);
        Assert.Single(samples, s => s.StatusCode == 429 && s.ReplicaId is null);
        foreach (var response in served)
        {
            response.Dispose();
        }
    }

    /// <summary>Until the simulator reports this many requests running or waiting (its Prometheus gauges).</summary>
    private static async Task WaitForRunningAsync(SimulatorServer simulator, int count)
    {
        using var client = new HttpClient { BaseAddress = simulator.BaseUri };
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var lines = (await client.GetStringAsync("metrics")).Split('\n');
            var inFlight = lines.Where(l => l.StartsWith("vllm:num_requests_running", StringComparison.Ordinal) || l.StartsWith("vllm:num_requests_waiting", StringComparison.Ordinal))
                .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
            if (inFlight >= count || DateTime.UtcNow > deadline)
            {
                Assert.True(inFlight >= count, $"only {inFlight} request(s) reached the simulator");
                return;
            }

            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task RegionLock_NeverRoutesOutside_EvenWhenTheAllowedReplicaFails()
    {
        await using var foreign = await Simulators.StartAsync();
        await using var gateway = await TestGateway.StartAsync();
        gateway.AddDedicatedEndpoint(Model,
            [TestGateway.Replica(Simulators.ClosedPort(), "eu-down", region: "eu-west"), TestGateway.Replica(foreign, "us", region: "us-east")],
            e => e with { AllowedRegions = new HashSet<string> { "eu-west" } });
        using var client = gateway.Client();

        using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model));

        await Simulators.AssertOpenAiErrorAsync(response, HttpStatusCode.BadGateway);
        Assert.Equal(0, await Simulators.ServedCountAsync(foreign));
    }

    [Fact]
    public async Task RegionLock_OnlyForeignCapacity_503NoCapacity()
    {
        await using var foreign = await Simulators.StartAsync();
        await using var gateway = await TestGateway.StartAsync();
        gateway.AddDedicatedEndpoint(Model, [TestGateway.Replica(foreign, "us", region: "us-east")],
            e => e with { AllowedRegions = new HashSet<string> { "eu-west", "eu-central" } });
        using var client = gateway.Client();

        using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model));

        await Simulators.AssertOpenAiErrorAsync(response, HttpStatusCode.ServiceUnavailable, "no_capacity");
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal(0, await Simulators.ServedCountAsync(foreign));
    }

    [Fact]
    public async Task Serverless_SendsUpstreamKeyAndModel_NeverTheCallersKey()
    {
        await using var upstream = await CaptureServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(allowOutbound: [upstream.BaseUri.Authority]);
        var target = GatewayTarget.Serverless(Guid.NewGuid(), new Uri(upstream.BaseUri, "v1"), "sk-upstream-secret", "us-east", "vendor/llama-70b");
        gateway.Directory.SetEndpoint(new GatewayEndpoint(Guid.NewGuid(), gateway.TenantId, Model, target));
        using var client = gateway.Client();

        using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (authorization, body) = Assert.Single(upstream.Received);
        Assert.Equal("Bearer sk-upstream-secret", authorization);
        Assert.Contains("\"model\":\"vendor/llama-70b\"", body);
        Assert.DoesNotContain(gateway.Key, body + authorization);
        var sample = Assert.Single(await gateway.Sink.WaitForAsync(1));
        Assert.Equal((TargetKind.Serverless, (string?)null, "us-east"), (sample.Tier!.Value, sample.ReplicaId, sample.Region));
        Assert.Equal((9, 2), (sample.PromptTokens, sample.CompletionTokens));
        Assert.DoesNotContain("sk-upstream-secret", target.ToString());
    }

    [Fact]
    public async Task Serverless_OutsideRegionLock_503AndNothingSent()
    {
        await using var upstream = await CaptureServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(allowOutbound: [upstream.BaseUri.Authority]);
        var target = GatewayTarget.Serverless(Guid.NewGuid(), new Uri(upstream.BaseUri, "v1/"), "sk-upstream", "us-east");
        gateway.Directory.SetEndpoint(new GatewayEndpoint(Guid.NewGuid(), gateway.TenantId, Model, target)
        {
            AllowedRegions = new HashSet<string> { "eu-west" },
        });
        using var client = gateway.Client();

        using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model));

        await Simulators.AssertOpenAiErrorAsync(response, HttpStatusCode.ServiceUnavailable, "no_capacity");
        Assert.Empty(upstream.Received);
    }

    [Fact]
    public async Task FlipPrimary_NextRequestGoesToTheNewPrimary()
    {
        await using var serverless = await Simulators.StartAsync();
        await using var dedicated = await Simulators.StartAsync();
        await using var gateway = await TestGateway.StartAsync();
        var before = gateway.AddDedicatedEndpoint(Model, serverless);
        var newPrimary = gateway.AddDedicatedTarget(TestGateway.Replica(dedicated, "dedicated-0"));
        using var client = gateway.Client();
        using (var first = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        gateway.Directory.SetEndpoint(before with { Primary = newPrimary, Shadow = before.Primary });
        using (var second = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model)))
        {
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        }

        var samples = (await gateway.Sink.WaitForAsync(2)).OrderBy(s => s.Timestamp).ToList();
        Assert.Equal(before.Primary.Id, samples[0].TargetId);
        Assert.Equal(newPrimary.Id, samples[1].TargetId);
        Assert.Equal(1, await Simulators.ServedCountAsync(dedicated));
    }
}
