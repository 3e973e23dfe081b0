using System.Diagnostics;
using Portal.Simulator.Engine;

namespace Portal.Simulator.Tests;

[Collection(TimingCollection.Name)]
public sealed class NoisyNeighborTests
{
    [Fact]
    public void Schedule_OverALongRun_IsActiveForTheExpectedShareOfTime()
    {
        // Episodes of 30 s separated by gaps of 270 s on average: active about 10 % of the time.
        var schedule = new NoisyNeighborSchedule(270, 30, seed: 3);

        var active = Enumerable.Range(0, 1_000_000).Count(i => schedule.IsActive(i * 1.0));

        Assert.InRange(active / 1_000_000.0, 0.08, 0.12);
    }

    [Fact]
    public async Task Request_DuringAnEpisode_IsSlowedAndFlagged()
    {
        // An episode starts within a simulated millisecond and lasts far longer than the test.
        var options = Simulator.Instant with
        {
            TimeScale = 0.01,
            PrefillOverheadMs = 10_000,
            NoisyNeighborMeanIntervalSeconds = 0.001,
            NoisyNeighborDurationSeconds = 1_000_000,
            NoisyNeighborSlowdown = 10,
        };
        await using var server = await Simulator.StartAsync(options);
        using var client = Simulator.Client(server);
        using (await Simulator.PostChatAsync(client, Simulator.ChatBody(maxTokens: 1)))
        {
            // Warm the connection and the code paths first, so a server that ignored the episode answers quickly.
        }
        var watch = Stopwatch.StartNew();
        using var response = await Simulator.PostChatAsync(client, Simulator.ChatBody(maxTokens: 1));
        var elapsedMs = watch.Elapsed.TotalMilliseconds;

        // 100 ms of prefill ten times slower: 1 s planned. Judged only from below, so a stall cannot fail it,
        // while a server that ignored the episode would answer in a tenth of that.
        var plannedMs = DelayModel.PrefillSeconds(options, 0, jitter: 1, DelayModel.Slowdown(options, 1, noisyNeighborActive: true))
            * options.TimeScale * 1000;
        Assert.Equal("true", response.Headers.GetValues("x-simulator-noisy-neighbor").Single());
        Assert.True(elapsedMs >= plannedMs * 0.95, $"answered after {elapsedMs} ms, planned {plannedMs} ms");
    }
}
