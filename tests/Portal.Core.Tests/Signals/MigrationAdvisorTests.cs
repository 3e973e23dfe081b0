using Portal.Core.Latency;
using Portal.Core.Signals;

namespace Portal.Core.Tests.Signals;

public sealed class MigrationAdvisorTests
{
    private static readonly ServerlessPrices _prices = new(3m, 0m);

    /// <summary>120 TTFTs with p50 = 0.4 ms and p99 = 1.68 ms (ratio 4.2); both below 2 ms, so recorded exactly.</summary>
    private static LatencyHistogram HeavyTail()
    {
        var histogram = new LatencyHistogram();
        for (var i = 1; i <= 120; i++)
        {
            histogram.Record(i <= 60 ? 0.4 : i <= 118 ? 1.0 : 1.68);
        }

        return histogram;
    }

    private static LatencyHistogram Flat(int count)
    {
        var histogram = new LatencyHistogram();
        for (var i = 0; i < count; i++)
        {
            histogram.Record(1.0);
        }

        return histogram;
    }

    private static MigrationInput Input(TrafficStats traffic, decimal? dedicated = 1_000_000m, HardRequirements? requirements = null) => new()
    {
        Window = TimeSpan.FromDays(30),
        Traffic = traffic,
        Prices = _prices,
        DedicatedMonthlyCost = dedicated,
        Requirements = requirements ?? HardRequirements.None,
    };

    [Fact]
    public void QualityAndEconomics_AreNamedInOneSentence()
    {
        var traffic = new TrafficStats(requests: 120, coldStarts: 3, inputTokens: 1_000_000_000, outputTokens: 0, HeavyTail());

        var assessment = MigrationAdvisor.Assess(Input(traffic, dedicated: 2_190m));

        Assert.True(assessment.MoveToDedicated);
        Assert.Equal([MigrationReason.ProductQuality, MigrationReason.Economics], assessment.Reasons);
        Assert.Equal(
            "Move to dedicated: tail divergence (p99/p50 = 4.2) and cold starts (3, 1 in 40) hurt product quality; "
            + "serverless would cost $3,000/month vs $2,190 dedicated.",
            assessment.Recommendation);
        Assert.Equal(SignalState.Ok, assessment[SignalKind.Requirements].State);
    }

    [Fact]
    public void NothingFiring_MeansStayingOnServerless()
    {
        var traffic = new TrafficStats(200, 0, 1_000, 1_000, Flat(200));

        var assessment = MigrationAdvisor.Assess(Input(traffic));

        Assert.False(assessment.MoveToDedicated);
        Assert.Empty(assessment.Reasons);
        Assert.Equal("Stay on serverless: migration is premature.", assessment.Recommendation);
        Assert.All(assessment.Signals, signal => Assert.Equal(SignalState.Ok, signal.State));
    }

    [Fact]
    public void NotEnoughData_NeverCountsAsFiring()
    {
        var traffic = new TrafficStats(0, 0, 0, 0, new LatencyHistogram());

        var assessment = MigrationAdvisor.Assess(Input(traffic, dedicated: null));

        Assert.Equal(MigrationAdvisor.StayOnServerless, assessment.Recommendation);
        Assert.Equal(SignalState.NotEnoughData, assessment[SignalKind.TailDivergence].State);
        Assert.Equal(SignalState.NotEnoughData, assessment[SignalKind.ColdStarts].State);
        Assert.Equal(SignalState.NotEnoughData, assessment[SignalKind.Economics].State);
    }

    [Fact]
    public void AHardRequirementAlone_IsEnoughAndIsNamed()
    {
        var traffic = new TrafficStats(200, 0, 1_000, 1_000, Flat(200));

        var requirements = RequirementRule.Evaluate(new RequirementFacts
        {
            Stated = new StatedRequirements(CustomWeights: true),
            EndpointLock = new HashSet<string> { "eu-frankfurt" },
        });

        var assessment = MigrationAdvisor.Assess(Input(traffic, requirements: requirements));

        Assert.Equal([MigrationReason.HardRequirement], assessment.Reasons);
        Assert.Equal("Move to dedicated: custom or fine-tuned weights and a region lock require dedicated.", assessment.Recommendation);
        Assert.Equal(2, assessment[SignalKind.Requirements].Value);
    }

    [Fact]
    public void OneQualitySignal_HurtsInTheSingular()
    {
        var traffic = new TrafficStats(50, 1, 0, 0, Flat(50));

        var assessment = MigrationAdvisor.Assess(Input(traffic));

        Assert.Equal("Move to dedicated: cold starts (1, 1 in 50) hurts product quality.", assessment.Recommendation);
    }

    [Fact]
    public void Signals_ComeOnePerKindInDesignOrder()
    {
        var assessment = MigrationAdvisor.Assess(Input(new TrafficStats(200, 0, 0, 0, Flat(200))));

        Assert.Equal(Enum.GetValues<SignalKind>(), assessment.Signals.Select(signal => signal.Kind));
    }
}
