using System.Diagnostics;
using System.Text.Json;
using Portal.Testing;

namespace Portal.Simulator.Tests;

[Collection(TimingCollection.Name)]
public sealed class LatencyTests
{
    [Fact]
    public async Task Stream_FixedKnobs_TtftAndItlMatchTheConfiguredValues()
    {
        // Simulated 1.5 s prefill and 250 ms token gaps at a 0.1 time scale: 150 ms and 25 ms of real time.
        await using var server = await Simulator.StartAsync(Simulator.Instant with
        {
            TimeScale = 0.1,
            PrefillOverheadMs = 1000,
            PrefillMsPerToken = 10,
            InterTokenLatencyMs = 250,
        });
        using var client = Simulator.Client(server);
        var body = Simulator.ChatBody(maxTokens: 12, stream: true);
        var promptTokens = await PromptTokensAsync(client);

        await Timing.RetryAsync(async () =>
        {
            var sent = DateTime.UtcNow;
            using var response = await Simulator.PostChatAsync(client, body, headersOnly: true);
            var events = await Simulator.ReadEventsAsync(response, sent);

            var content = events.Where(e => e.Data.Contains("\"content\":\"", StringComparison.Ordinal)
                && !e.Data.Contains("\"content\":\"\"", StringComparison.Ordinal)).ToList();
            Assert.Equal(12, content.Count);
            var expectedTtft = (1000 + promptTokens * 10) * 0.1;
            var ttft = content[0].At.TotalMilliseconds;
            Assert.InRange(ttft, expectedTtft * 0.95, expectedTtft + 80);
            var meanItl = (content[^1].At - content[0].At).TotalMilliseconds / 11;
            Assert.InRange(meanItl, 25 * 0.9, 25 * 1.4);
        });
    }

    [Fact]
    public async Task Stream_MoreRunningSequences_SlowerTokens()
    {
        await using var server = await Simulator.StartAsync(Simulator.Instant with
        {
            TimeScale = 0.05,
            InterTokenLatencyMs = 1000,
            SlowdownPerRunningSeq = 0.5,
        });
        using var client = Simulator.Client(server);
        await TimeAsync(client, 1); // warm the connection and the code paths, so the first timing is not start-up

        await Timing.RetryAsync(async () =>
        {
            var alone = await TimeAsync(client, 1);
            var crowded = await TimeAsync(client, 5);

            // Five running sequences at +50 % each make decode about three times slower.
            Assert.True(crowded > alone * 2, $"alone {alone} ms, crowded {crowded} ms");
        });
    }

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
