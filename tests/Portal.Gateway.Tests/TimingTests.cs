using System.Diagnostics;
using System.Net;
using Portal.Gateway.Tests.Support;

namespace Portal.Gateway.Tests;

[CollectionDefinition(nameof(TimingCollection), DisableParallelization = true)]
public sealed class TimingCollection;

/// <summary>
/// The gateway's own measurements against a simulator with exact, known timings. Each is bracketed by two instants a
/// stall of the machine cannot reorder: from below by what the simulator was configured to wait (the gateway receives
/// the request before the simulator starts and reads a chunk after the simulator sent it), from above by what the
/// client saw around the same request (the client sends before the gateway receives and reads a chunk after the
/// gateway passed it on). A stall moves the measurements inside the bracket, never out of it.
/// </summary>
[Collection(nameof(TimingCollection))]
public sealed class TimingTests
{
    private const string Model = "acme/chat";

    // The simulator never ends a wait early (it re-checks its high-resolution clock); converting durations to clock
    // ticks rounds, which stays far below this.
    private const double TimerRoundingMs = 0.5;

    [Fact]
    public async Task MeasuredTtft_AtLeastTheSimulatorsPrefill_AtMostWhatTheClientSaw()
    {
        // A 300 ms gap after the first token: a gateway timing the wrong chunk or the end overshoots the client's TTFT.
        await using var simulator = await Simulators.StartAsync(Simulators.Instant with { PrefillOverheadMs = 200, InterTokenLatencyMs = 300 });
        await using var gateway = await TestGateway.StartAsync();
        gateway.AddDedicatedEndpoint(Model, simulator);
        using var client = gateway.Client();

        for (var seen = 1; seen <= 5; seen++)
        {
            var clientSeen = await StreamAsync(client, maxTokens: 2);
            var sample = (await gateway.Sink.WaitForAsync(seen))[^1];

            Assert.True(sample.TtftMs >= 200 - TimerRoundingMs, $"gateway TTFT {sample.TtftMs} ms, simulator prefill 200 ms");
            Assert.True(sample.TtftMs <= clientSeen.FirstMs, $"gateway TTFT {sample.TtftMs} ms, client TTFT {clientSeen.FirstMs} ms");
        }
    }

    [Fact]
    public async Task MeasuredItlAndTpot_MatchConfiguredTokenGap_ColdStartFlaggedAboveThreshold()
    {
        await using var simulator = await Simulators.StartAsync(Simulators.Instant with { PrefillOverheadMs = 150, InterTokenLatencyMs = 20 });
        await using var gateway = await TestGateway.StartAsync(o => o.ColdStartThreshold = TimeSpan.FromMilliseconds(100));
        gateway.AddDedicatedEndpoint(Model, simulator);
        using var client = gateway.Client();

        var clientSeen = await StreamAsync(client, maxTokens: 11);
        var sample = Assert.Single(await gateway.Sink.WaitForAsync(1));

        // TTFT plus ten mean gaps is the gateway's time to the last token: 150 ms of prefill and ten 20 ms gaps at
        // least, and no later than the client received it. A gap measured between two reads alone could shrink
        // when the gateway stalls before the first one, so gaps are judged only through this sum.
        var gatewayLastMs = sample.TtftMs!.Value + 10 * sample.ItlMeanMs!.Value;
        Assert.True(gatewayLastMs >= 150 + 10 * 20 - TimerRoundingMs, $"gateway saw the last token after {gatewayLastMs} ms");
        Assert.True(gatewayLastMs <= clientSeen.LastMs, $"gateway {gatewayLastMs} ms, client {clientSeen.LastMs} ms to the last token");
        Assert.True(sample.ItlP99Ms >= sample.ItlMeanMs, $"p99 {sample.ItlP99Ms} ms below the mean {sample.ItlMeanMs} ms");
        // TPOT spreads the rest of the response over the ten later tokens: TTFT plus ten of them is the whole response.
        var wholeMs = sample.TtftMs.Value + 10 * sample.TpotMs!.Value;
        Assert.True(Math.Abs(sample.EndToEndMs - wholeMs) < 1e-6, $"e2e {sample.EndToEndMs} ms, TTFT + 10 TPOT {wholeMs} ms");
        Assert.True(sample.EndToEndMs >= gatewayLastMs);
        Assert.True(sample.ColdStart);
    }

    /// <summary>Streams one completion; client-side times from just before sending to the first and last content chunk.</summary>
    private static async Task<(double FirstMs, double LastMs)> StreamAsync(HttpClient client, int maxTokens)
    {
        var watch = Stopwatch.StartNew();
        using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model, maxTokens, stream: true), headersOnly: true);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var content = new List<double>();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Contains("\"content\":\"", StringComparison.Ordinal) && !line.Contains("\"content\":\"\"", StringComparison.Ordinal))
            {
                content.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        Assert.Equal(maxTokens, content.Count);
        return (content[0], content[^1]);
    }
}
