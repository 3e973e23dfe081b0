using Portal.Core.DryRun;

namespace Portal.Core.Tests.DryRun;

public class ReplayCostTests
{
    [Fact]
    public void GpuHours_LifetimesClippedToTheReplayAndMultipliedBackByTheCompression()
    {
        // A 60 s replay of one recorded hour (compression 60). Baseline started 5 s before the replay and ran to the end:
        // 60 s counted; a burst replica from 10 s to 40 s: 30 s. 90 replay-seconds × 60 = 5,400 s = 1.5 replica-hours,
        // × 2 GPUs = 3 GPU-hours.
        ReplayedReplica[] replicas =
        [
            new("r-base", false, TimeSpan.FromSeconds(-5), null),
            new("r-burst", true, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(40)),
        ];

        var gpuHours = ReplayCost.GpuHours(replicas, TimeSpan.FromSeconds(60), 60, gpusPerReplica: 2);

        Assert.Equal(3m, gpuHours);
        Assert.Equal(7.5m, ReplayCost.Usd(gpuHours, 2.50m));
        Assert.Equal(0.0375m, ReplayCost.PerRequestUsd(ReplayCost.Usd(gpuHours, 2.50m), 200));
    }

    [Fact]
    public void PerRequestUsd_WithoutPriceOrRequests_IsNull()
    {
        Assert.Null(ReplayCost.PerRequestUsd(ReplayCost.Usd(3m, null), 200));
        Assert.Null(ReplayCost.PerRequestUsd(7.5m, 0));
    }
}
