using Portal.Core.Scaling;

namespace Portal.Core.Tests.Scaling;

public sealed class AutoscalerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly AutoscalePolicy Policy = new()
    {
        TargetInFlightPerReplica = 4,
        ScaleOutAfter = TimeSpan.FromSeconds(30),
        ScaleInAfter = TimeSpan.FromSeconds(120),
        QuietBelowFraction = 0.5,
        Cooldown = TimeSpan.FromSeconds(60),
    };

    /// <summary>Feeds one observation every <paramref name="step"/> seconds and returns every decision.</summary>
    private static List<ScaleDecision> Run(IEnumerable<int> inFlight, int baseline = 1, int max = 3, int desired = 1, int step = 10)
    {
        var state = AutoscaleState.Initial;
        var decisions = new List<ScaleDecision>();
        var tick = 0;
        foreach (var load in inFlight)
        {
            var decision = Autoscaler.Decide(Policy, state, new LoadObservation(T0.AddSeconds(step * tick++), load, desired), desired, baseline, max);
            decisions.Add(decision);
            (state, desired) = (decision.State, decision.Desired);
        }

        return decisions;
    }

    [Fact]
    public void SustainedLoad_ScalesOut_OnceItHasLastedTheSustainPeriod()
    {
        var decisions = Run(Enumerable.Repeat(10, 4)); // 0 s, 10 s, 20 s, 30 s above the target of 4

        Assert.Equal([ScaleDirection.Hold, ScaleDirection.Hold, ScaleDirection.Hold, ScaleDirection.Out], decisions.Select(d => d.Direction));
        Assert.Equal(2, decisions[^1].Desired);
        Assert.Contains("10 in flight per Ready replica", decisions[^1].Reason);
    }

    [Fact]
    public void ShortSpike_ChangesNothing()
    {
        var decisions = Run([1, 20, 20, 1, 1, 1]);

        Assert.All(decisions, d => Assert.Equal(ScaleDirection.Hold, d.Direction));
    }

    [Fact]
    public void QuietAfterScaleOut_ScalesIn_OnlyAfterTheQuietPeriodAndTheCooldown()
    {
        // 4 ticks high → out to 2 at 30 s; then quiet from 40 s: in at 40 + 120 = 160 s, past the 60 s cool-down.
        var decisions = Run(Enumerable.Repeat(10, 4).Concat(Enumerable.Repeat(0, 14)));
        var changes = decisions.Select((d, i) => (d, Seconds: i * 10)).Where(x => x.d.Direction != ScaleDirection.Hold).ToList();

        Assert.Equal([(ScaleDirection.Out, 30), (ScaleDirection.In, 160)], changes.Select(c => (c.d.Direction, c.Seconds)));
        Assert.Equal(1, decisions[^1].Desired);
    }

    [Fact]
    public void NeverAboveTheMaximum_NorBelowTheBaseline()
    {
        var up = Run(Enumerable.Repeat(100, 60), baseline: 1, max: 2);
        var down = Run(Enumerable.Repeat(0, 60), baseline: 2, max: 4, desired: 2);

        Assert.Equal(2, up.Max(d => d.Desired));
        Assert.Contains("At the maximum of 2", up[^1].Reason);
        Assert.All(down, d => Assert.Equal(2, d.Desired));
    }

    [Fact]
    public void LoadOscillatingAroundTheTarget_DoesNotFlap()
    {
        // 3 and 5 in flight alternately around a target of 4: never high for 30 s in a row, never below the quiet line of 2.
        var decisions = Run(Enumerable.Range(0, 100).Select(i => i % 2 == 0 ? 5 : 3), desired: 2);

        Assert.All(decisions, d => Assert.Equal(ScaleDirection.Hold, d.Direction));
    }

    [Fact]
    public void ReplicaStillStarting_HoldsEvenUnderHighLoad()
    {
        var state = AutoscaleState.Initial with { HighSince = T0 };

        var decision = Autoscaler.Decide(Policy, state, new LoadObservation(T0.AddMinutes(5), 50, 1, StartingReplicas: 1), 2, 1, 3);

        Assert.Equal(ScaleDirection.Hold, decision.Direction);
        Assert.Contains("starting", decision.Reason);
    }

    [Fact]
    public void WithinTheCooldown_NoSecondChange()
    {
        var state = new AutoscaleState(T0, null, T0.AddSeconds(100));

        var decision = Autoscaler.Decide(Policy, state, new LoadObservation(T0.AddSeconds(150), 50, 2), 2, 1, 3);

        Assert.Equal(ScaleDirection.Hold, decision.Direction);
        Assert.Contains("Cooling down", decision.Reason);
    }

    [Fact]
    public void DesiredBelowTheBaseline_IsRaisedAtOnce()
    {
        var decision = Autoscaler.Decide(Policy, AutoscaleState.Initial, new LoadObservation(T0, 0, 0), 0, 2, 4);

        Assert.Equal((ScaleDirection.Out, 2), (decision.Direction, decision.Desired));
    }

    [Fact]
    public void NoReadyReplicaWithRequestsWaiting_CountsAsHighLoad()
    {
        Assert.True(double.IsPositiveInfinity(new LoadObservation(T0, 3, 0).PerReplica));
        Assert.Equal(0, new LoadObservation(T0, 0, 0).PerReplica);
    }

    [Fact]
    public void BurstTakesOverflow_AboveTheSameTargetThatScalesOut()
    {
        Assert.Equal(4, Policy.SaturationBound);
        Assert.Equal(3, (Policy with { TargetInFlightPerReplica = 2.5 }).SaturationBound);
        Assert.Equal(1, (Policy with { TargetInFlightPerReplica = 0.2 }).SaturationBound);
    }

    [Fact]
    public void Policy_RefusesAZeroTargetAndAQuietLineAtOrAboveIt()
    {
        Assert.Empty(AutoscalePolicy.Default.Problems());
        Assert.Equal(2, (Policy with { TargetInFlightPerReplica = 0, QuietBelowFraction = 1 }).Problems().Count);
    }
}
