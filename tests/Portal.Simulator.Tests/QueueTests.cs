using System.Net;

namespace Portal.Simulator.Tests;

public sealed class QueueTests
{
    [Fact]
    public async Task Request_WhenSlotsAndQueueAreFull_Gets429InOpenAiShape()
    {
        // One running slot, one waiting place; each request takes about 1.8 s of real time.
        await using var server = await Simulator.StartAsync(Simulator.Instant with
        {
            MaxNumSeqs = 1,
            MaxWaitingRequests = 1,
            TimeScale = 0.01,
            InterTokenLatencyMs = 60_000,
        });
        using var client = Simulator.Client(server);

        var running = Simulator.PostChatAsync(client, Simulator.ChatBody(maxTokens: 4));
        await WaitForAsync(client, "vllm:num_requests_running", 1);
        var waiting = Simulator.PostChatAsync(client, Simulator.ChatBody(maxTokens: 4));
        await WaitForAsync(client, "vllm:num_requests_waiting", 1);

        using var refused = await Simulator.PostChatAsync(client, Simulator.ChatBody(maxTokens: 4));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var error = await Simulator.AssertOpenAiErrorAsync(refused);
        Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await running).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await waiting).StatusCode);
    }

    internal static async Task WaitForAsync(HttpClient client, string gauge, double value)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            var metrics = PrometheusText.Parse(await client.GetStringAsync("metrics"));
            if (metrics.Value(gauge) == value)
            {
                return;
            }

            await Task.Delay(10);
        }

        Assert.Fail($"{gauge} never reached {value}");
    }
}
