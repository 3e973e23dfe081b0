using System.Diagnostics;
using Portal.Simulator.Configuration;

namespace Portal.Simulator.Tests;

/// <summary>
/// Scale-to-zero. Every wait the outcome depends on is far from a machine stall: a gap that must stay under the idle
/// timeout is tens of times shorter than it, a gap that must exceed it is a <see cref="Task.Delay(int)"/> longer than it
/// (a stall only lengthens it), and the reload is judged only from below.
/// </summary>
[Collection(TimingCollection.Name)]
public sealed class ColdStartTests
{
    private const double TimeScale = 0.01;

    [Fact]
    public async Task Request_AfterIdlePeriod_IsColdAndWaitsForTheReload()
    {
        // 2 s of idle timeout and 2 s of reload in real time.
        await using var server = await Simulator.StartAsync(Serverless(idleMs: 2000, coldStartMs: 2000));
        using var client = Simulator.Client(server);

        var (warmCold, _) = await SendAsync(client);
        var (againCold, _) = await SendAsync(client);
        await Task.Delay(2300);
        var (idleCold, idleMs) = await SendAsync(client);
        var (afterCold, _) = await SendAsync(client);

        Assert.False(warmCold);
        Assert.False(againCold);
        Assert.True(idleCold);
        Assert.True(idleMs >= 2000 * 0.95, $"the cold request was answered after {idleMs} ms, before the 2000 ms reload");
        Assert.False(afterCold);
    }

    [Fact]
    public async Task Request_BeforeIdlePeriodEnds_IsWarm()
    {
        await using var server = await Simulator.StartAsync(Serverless(idleMs: 10_000, coldStartMs: 150));
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
        await using var server = await Simulator.StartAsync(Serverless(idleMs: 200, coldStartMs: 150) with { ScaleToZero = false });
        using var client = Simulator.Client(server);

        await SendAsync(client);
        await Task.Delay(300);

        Assert.False((await SendAsync(client)).Cold);
    }

    [Fact]
    public async Task LivenessChecks_DoNotKeepTheModelWarm()
    {
        // A portal's liveness probe of a serverless target lists the models (and an engine's /health may be asked too):
        // neither loads the model, so neither is activity. Checked every 100 ms through a 1 s idle timeout, it still evicts.
        await using var server = await Simulator.StartAsync(Serverless(idleMs: 1000, coldStartMs: 150));
        using var client = Simulator.Client(server);
        Assert.False((await SendAsync(client)).Cold);

        var until = Stopwatch.StartNew();
        while (until.ElapsedMilliseconds < 1300)
        {
            using var models = await client.GetAsync("v1/models");
            using var health = await client.GetAsync("health");
            Assert.True(models.IsSuccessStatusCode && health.IsSuccessStatusCode);
            await Task.Delay(100);
        }

        Assert.True((await SendAsync(client)).Cold);
    }

    [Fact]
    public async Task Requests_ArrivingDuringAReload_AllWaitAndAreCold()
    {
        // The three are sent together; the last must arrive within the 2 s reload the first one started.
        await using var server = await Simulator.StartAsync(Serverless(idleMs: 200, coldStartMs: 2000));
        using var client = Simulator.Client(server);
        await Task.Delay(250);

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => SendAsync(client)));

        Assert.All(results, r => Assert.True(r.Cold));
    }

    private static SimulatorOptions Serverless(double idleMs, double coldStartMs) => Simulator.Instant with
    {
        TimeScale = TimeScale,
        ScaleToZero = true,
        IdleTimeoutSeconds = idleMs / 1000 / TimeScale,
        ColdStartSeconds = coldStartMs / 1000 / TimeScale,
    };

    private static async Task<(bool Cold, double Ms)> SendAsync(HttpClient client)
    {
        var watch = Stopwatch.StartNew();
        using var response = await Simulator.PostChatAsync(client, Simulator.ChatBody(maxTokens: 1));
        Assert.True(response.IsSuccessStatusCode);
        return (Simulator.IsColdStart(response), watch.Elapsed.TotalMilliseconds);
    }
}
