using System.Diagnostics;
using System.Net;

namespace Portal.Simulator.Tests;

[Collection(TimingCollection.Name)]
public sealed class HealthTests
{
    [Fact]
    public async Task Health_WhileWeightsLoad_Is503ThenBecomes200()
    {
        // 30 s of weight loading at a 0.01 time scale: 300 ms of real time.
        var watch = Stopwatch.StartNew();
        await using var server = await Simulator.StartAsync(Simulator.Instant with { WeightLoadSeconds = 30, TimeScale = 0.01 });
        using var client = Simulator.Client(server);

        using var loading = await client.GetAsync("health");
        using var refused = await Simulator.PostChatAsync(client, Simulator.ChatBody());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, loading.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        await Simulator.AssertOpenAiErrorAsync(refused);

        while ((await client.GetAsync("health")).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), "weights never finished loading");
            await Task.Delay(20);
        }

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(290), $"ready after {watch.Elapsed}");
        using var served = await Simulator.PostChatAsync(client, Simulator.ChatBody());
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }
}
