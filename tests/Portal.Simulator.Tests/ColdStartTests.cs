using Portal.Testing;
using System.Diagnostics;

namespace Portal.Simulator.Tests;

[Collection(TimingCollection.Name)]
public sealed class ColdStartTests
{
    // 20 s idle timeout and 15 s cold start at a 0.01 time scale: 200 ms and 150 ms of real time.
    private static readonly Portal.Simulator.Configuration.SimulatorOptions _serverless = Simulator.Instant with
    {
        TimeScale = 0.01,
        ScaleToZero = true,
        IdleTimeoutSeconds = 20,
        ColdStartSeconds = 15,
    };

    [Fact]
    public async Task Request_AfterIdlePeriod_IsColdAndWaitsForTheReload()
    {
        // Wall-clock bounds: a fresh server per attempt, so a stall on a busy machine cannot decide the outcome alone.
        await Timing.RetryAsync(async () =>
        {
            await using var server = await Simulator.StartAsync(_serverless);
            using var client = Simulator.Client(server);

            var (warmCold, warmMs) = await SendAsync(client);
            var (againCold, _) = await SendAsync(client);
            await Task.Delay(300);
            var (idleCold, idleMs) = await SendAsync(client);
            var (afterCold, afterMs) = await SendAsync(client);

            Assert.False(warmCold);
            Assert.False(againCold);
            Assert.True(idleCold);
            Assert.InRange(idleMs, 145, 400);
            Assert.False(afterCold);
            Assert.True(warmMs < 100 && afterMs < 100, $"warm {warmMs} ms, after {afterMs} ms");
        });
    }

    [Fact]
    public async Task Request_BeforeIdlePeriodEnds_IsWarm()
    {
        await using var server = await Simulator.StartAsync(_serverless);
        using var client = Simulator.Client(server);

        for (var i = 0; i < 4; i++)
        {
            await Task.Delay(100);
            Assert.False((await SendAsync(client)).Cold);
        }
    }

    [Fact]
    public async Task Request_AfterIdlePeriodWithoutScaleToZero_IsNeverCold()
    {
        await using var server = await Simulator.StartAsync(_serverless with { ScaleToZero = false });
        using var client = Simulator.Client(server);

        await SendAsync(client);
        await Task.Delay(300);

        Assert.False((await SendAsync(client)).Cold);
    }

    [Fact]
    public async Task Requests_ArrivingDuringAReload_AllWaitAndAreCold()
    {
        await using var server = await Simulator.StartAsync(_serverless);
        using var client = Simulator.Client(server);
        await Task.Delay(250);

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => SendAsync(client)));

        Assert.All(results, r => Assert.True(r.Cold));
    }

    private static async Task<(bool Cold, double Ms)> SendAsync(HttpClient client)
    {
        var watch = Stopwatch.StartNew();
        using var response = await Simulator.PostChatAsync(client, Simulator.ChatBody(maxTokens: 1));
        Assert.True(response.IsSuccessStatusCode);
        return (Simulator.IsColdStart(response), watch.Elapsed.TotalMilliseconds);
    }
}
