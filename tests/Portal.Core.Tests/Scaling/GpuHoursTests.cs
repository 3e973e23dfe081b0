using Portal.Core.Scaling;

namespace Portal.Core.Tests.Scaling;

public sealed class GpuHoursTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void BaselineAndBurst_AreCountedApart()
    {
        // Baseline: 10 h running; burst: 1.5 h, stopped; 2 GPUs per replica at $3/GPU-hour.
        var split = GpuHourSplit.Of(
            [new ReplicaSpan(T0, null, false), new ReplicaSpan(T0.AddHours(2), T0.AddHours(3.5), true)], 2, T0.AddHours(10));

        Assert.Equal(20, split.Baseline, 6);
        Assert.Equal(3, split.Burst, 6);
        Assert.Equal(69m, split.CostUsd(3m));
        Assert.Equal(9m, split.BurstCostUsd(3m));
    }
}
