using Portal.Core.Cost;
using Portal.Core.Latency;
using Portal.Core.Signals;

namespace Portal.Core.Tests.Signals;

/// <summary>Economics against a replica's capacity: dedicated pays off once a replica would run at 40–50 % utilisation.</summary>
public sealed class UtilisationEconomicsTests
{
    private static readonly ReplicaCapacity _capacity = new(1_000, "catalog: test figure");

    /// <summary>Output tokens that keep a 1,000 tokens/s replica at <paramref name="share"/> for a day.</summary>
    private static long TokensForADayAt(double share) => (long)Math.Round(share * 1_000 * 86_400);

    private static MigrationInput Serverless(double share) => new()
    {
        Window = TimeSpan.FromDays(1),
        Traffic = new TrafficStats(1_000, 0, 0, TokensForADayAt(share), new LatencyHistogram()),
        Prices = new ServerlessPrices(0m, 0m),
        DedicatedMonthlyCost = 2_000m,
        Capacity = _capacity,
    };

    [Theory]
    [InlineData(0.40)]
    [InlineData(0.45)]
    [InlineData(0.50)]
    public void InsideTheBand_Fires(double share)
    {
        var assessment = MigrationAdvisor.Assess(Serverless(share));

        Assert.Equal(SignalState.Fires, assessment[SignalKind.Economics].State);
        Assert.Equal(share, assessment.Utilisation!.Value, 6);
        Assert.Equal([MigrationReason.Economics], assessment.Reasons);
    }

    [Theory]
    [InlineData(0.30)]
    [InlineData(0.399)]
    public void BelowTheBand_DoesNotFire(double share)
    {
        var assessment = MigrationAdvisor.Assess(Serverless(share));

        Assert.Equal(SignalState.Ok, assessment[SignalKind.Economics].State);
        Assert.Equal(MigrationAdvisor.StayOnServerless, assessment.Recommendation);
    }

    [Fact]
    public void Evidence_NamesTheCapacityItsSourceAndTheBand()
    {
        var signal = MigrationSignals.Utilisation(TokensForADayAt(0.45), TimeSpan.FromDays(1), _capacity, 3_000m, 2_000m);

        Assert.Equal(MigrationSignal.UtilisationUnit, signal.Unit);
        Assert.Equal(
            "38,880,000 generated tokens over 24 replica-hours is 45 % of a replica's 1,000 tokens/s (catalog: test figure); "
            + "dedicated pays off at 40–50 %. Serverless projects to $3,000/month against $2,000/month dedicated.",
            signal.Evidence);
    }

    [Fact]
    public void Recommendation_NamesTheUtilisation() =>
        Assert.Equal("Move to dedicated: a replica would run at 45 % utilisation, where dedicated pays off.",
            MigrationAdvisor.Assess(Serverless(0.45)).Recommendation);

    [Fact]
    public void WithoutACapacity_TheMonthlyCostsDecide()
    {
        var input = Serverless(0.9) with { Capacity = null };

        var signal = MigrationAdvisor.Assess(input)[SignalKind.Economics];

        Assert.Null(signal.Unit);
        Assert.Equal(SignalState.Ok, signal.State);
    }
}
