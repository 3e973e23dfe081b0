using System.Diagnostics;
using System.Text.Json;
using Portal.Simulator.Configuration;
using Portal.Simulator.Engine;

namespace Portal.Simulator.Tests;

/// <summary>
/// That the server applies its latency plan (<see cref="DelayModel"/>, checked exactly in <see cref="DelayModelTests"/>).
/// Wall-clock time is judged only from below: a stall of the machine adds time and cannot make these fail, while a
/// server that ignores its profile or its load stays far under the bounds.
/// </summary>
[Collection(TimingCollection.Name)]
public sealed class LatencyTests
{
    [Fact]
    public async Task Stream_FixedKnobs_TtftAndItlAtLeastThePlannedValues()
    {
        // Simulated 1.15 s prefill and 250 ms token gaps at a 0.1 time scale: about 115 ms and 25 ms of real time.
        var options = Simulator.Instant with
        {
            TimeScale = 0.1,
            PrefillOverheadMs = 1000,
            PrefillMsPerToken = 10,
            InterTokenLatencyMs = 250,
        };
        await using var server = await Simulator.StartAsync(options);
        using var client = Simulator.Client(server);
        var promptTokens = await PromptTokensAsync(client);

        var sent = DateTime.UtcNow;
        using var response = await Simulator.PostChatAsync(client, Simulator.ChatBody(maxTokens: 12, stream: true), headersOnly: true);
        var events = await Simulator.ReadEventsAsync(response, sent);

        var content = events.Where(e => e.Data.Contains("\"content\":\"", StringComparison.Ordinal)
            && !e.Data.Contains("\"content\":\"\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(12, content.Count);
        var plannedTtftMs = RealMs(options, DelayModel.PrefillSeconds(options, promptTokens, jitter: 1, slowdown: 1));
        var plannedLastMs = plannedTtftMs + 11 * RealMs(options, DelayModel.TokenGapSeconds(options, jitter: 1, slowdown: 1));
        var ttftMs = content[0].At.TotalMilliseconds;
        var lastMs = content[^1].At.TotalMilliseconds;
        // Both measured from the send, never between two reads: a stall before reading the first token would shorten
        // the span between them. 5 % below the plan allows for timer rounding; a server on the default knobs
        // (60 ms, 12 ms) stays far below.
        Assert.True(ttftMs >= plannedTtftMs * 0.95, $"TTFT {ttftMs} ms, planned {plannedTtftMs} ms");
        Assert.True(lastMs >= plannedLastMs * 0.95, $"last token after {lastMs} ms, planned {plannedLastMs} ms");
    }

    [Fact]
    public async Task Stream_MoreRunningSequences_SlowerTokens()
    {
        // 20 ms token gaps alone; five running sequences at +200 % each make every gap nine times longer.
        var options = Simulator.Instant with
        {
            TimeScale = 0.05,
            InterTokenLatencyMs = 400,
            SlowdownPerRunningSeq = 2,
        };
        await using var server = await Simulator.StartAsync(options);
        using var client = Simulator.Client(server);
        var aloneDecodeMs = 9 * RealMs(options, DelayModel.TokenGapSeconds(options, jitter: 1, DelayModel.Slowdown(options, 1, false)));
        Assert.Equal(9, DelayModel.Slowdown(options, 5, false), 9);

        var alone = await TimeAsync(client, 1);
        var crowded = await TimeAsync(client, 5);

        // Judged at a third of the planned effect and only from below: a server without contention finishes the five
        // together in about the time of one, and a stall can only lengthen the run.
        Assert.True(alone >= aloneDecodeMs * 0.95, $"alone {alone} ms, planned {aloneDecodeMs} ms");
        Assert.True(crowded >= aloneDecodeMs * 3, $"crowded {crowded} ms, planned alone {aloneDecodeMs} ms");
    }

    private static double RealMs(SimulatorOptions options, double simulatedSeconds) => simulatedSeconds * options.TimeScale * 1000;

    private static async Task<double> TimeAsync(HttpClient client, int concurrent)
    {
        var watch = Stopwatch.StartNew();
        var responses = await Task.WhenAll(Enumerable.Range(0, concurrent)
            .Select(_ => Simulator.PostChatAsync(client, Simulator.ChatBody(maxTokens: 10))));
        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode));
        return watch.Elapsed.TotalMilliseconds;
    }

    private static async Task<int> PromptTokensAsync(HttpClient client)
    {
        using var response = await Simulator.PostChatAsync(client, Simulator.ChatBody(maxTokens: 1));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32();
    }
}
