using System.Net;
using Portal.Gateway.Tests.Support;
using Portal.Testing;

namespace Portal.Gateway.Tests;

[CollectionDefinition(nameof(TimingCollection), DisableParallelization = true)]
public sealed class TimingCollection;

/// <summary>The gateway's own measurements against a simulator with exact, known timings. Runs alone, after the rest.</summary>
[Collection(nameof(TimingCollection))]
public sealed class TimingTests
{
    private const string Model = "acme/chat";

    [Fact]
    public async Task MeasuredTtft_MatchesConfiguredTtftWithin5Ms()
    {
        await using var simulator = await Simulators.StartAsync(Simulators.Instant with { PrefillOverheadMs = 200, InterTokenLatencyMs = 5 });
        await using var gateway = await TestGateway.StartAsync();
        gateway.AddDedicatedEndpoint(Model, simulator);
        using var client = gateway.Client();
        using (var warmUp = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model, maxTokens: 2, stream: true)))
        {
            Assert.Equal(HttpStatusCode.OK, warmUp.StatusCode);
        }

        var seen = 1;
        await Timing.RetryAsync(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model, maxTokens: 3, stream: true));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            seen += 20;
            var ttfts = (await gateway.Sink.WaitForAsync(seen)).TakeLast(20).Select(s => s.TtftMs!.Value).Order().ToList();
            var median = ttfts[ttfts.Count / 2];
            Assert.InRange(median, 195, 205);
        });
    }

    [Fact]
    public async Task MeasuredItlAndTpot_MatchConfiguredTokenGap_ColdStartFlaggedAboveThreshold()
    {
        await using var simulator = await Simulators.StartAsync(Simulators.Instant with { PrefillOverheadMs = 150, InterTokenLatencyMs = 20 });
        await using var gateway = await TestGateway.StartAsync(o => o.ColdStartThreshold = TimeSpan.FromMilliseconds(100));
        gateway.AddDedicatedEndpoint(Model, simulator);
        using var client = gateway.Client();
        using (var warmUp = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model, maxTokens: 2, stream: true)))
        {
            Assert.Equal(HttpStatusCode.OK, warmUp.StatusCode);
        }

        var seen = 1;
        await Timing.RetryAsync(async () =>
        {
            using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model, maxTokens: 11, stream: true));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var sample = (await gateway.Sink.WaitForAsync(++seen))[^1];
            Assert.InRange(sample.ItlMeanMs!.Value, 18, 24);
            Assert.InRange(sample.TpotMs!.Value, 18, 26);
            Assert.InRange(sample.ItlP99Ms!.Value, sample.ItlMeanMs.Value, 40);
            Assert.True(sample.ColdStart);
        });
    }
}
