using Portal.Simulator.Engine;

namespace Portal.Simulator.Tests;

/// <summary>
/// The simulator's latency plan, checked exactly. Tests over HTTP check only that the server waited at least this long,
/// so together they pin the served latency from both sides without judging wall-clock time from above.
/// </summary>
public sealed class DelayModelTests
{
    private static readonly Portal.Simulator.Configuration.SimulatorOptions _knobs = Simulator.Instant with
    {
        PrefillOverheadMs = 1000,
        PrefillMsPerToken = 10,
        InterTokenLatencyMs = 250,
        SlowdownPerRunningSeq = 0.5,
        NoisyNeighborSlowdown = 4,
    };

    [Fact]
    public void PrefillSeconds_AloneWithoutJitter_IsOverheadPlusPerTokenTimesPrompt()
    {
        // 1000 ms + 15 tokens × 10 ms.
        Assert.Equal(1.15, DelayModel.PrefillSeconds(_knobs, promptTokens: 15, jitter: 1, slowdown: 1), 9);
    }

    [Fact]
    public void PrefillSeconds_JitterAndSlowdown_MultiplyTheBase()
    {
        Assert.Equal(1.15 * 1.2 * 3, DelayModel.PrefillSeconds(_knobs, promptTokens: 15, jitter: 1.2, slowdown: 3), 9);
    }

    [Fact]
    public void TokenGapSeconds_IsTheConfiguredGapTimesJitterAndSlowdown()
    {
        Assert.Equal(0.25, DelayModel.TokenGapSeconds(_knobs, jitter: 1, slowdown: 1), 9);
        Assert.Equal(0.25 * 0.8 * 9, DelayModel.TokenGapSeconds(_knobs, jitter: 0.8, slowdown: 9), 9);
    }

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(1, 1.0)]
    [InlineData(2, 1.5)]
    [InlineData(5, 3.0)]
    public void Slowdown_EachOtherRunningSequence_AddsItsShare(int running, double expected)
    {
        Assert.Equal(expected, DelayModel.Slowdown(_knobs, running, noisyNeighborActive: false), 9);
    }

    [Fact]
    public void Slowdown_DuringANoisyNeighborEpisode_MultipliesTheContention()
    {
        Assert.Equal(4.0, DelayModel.Slowdown(_knobs, running: 1, noisyNeighborActive: true), 9);
        Assert.Equal(12.0, DelayModel.Slowdown(_knobs, running: 5, noisyNeighborActive: true), 9);
    }
}
