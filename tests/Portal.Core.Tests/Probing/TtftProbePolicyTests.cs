using Portal.Core.Cost;
using Portal.Core.Probing;

namespace Portal.Core.Tests.Probing;

public sealed class TtftProbePolicyTests
{
    [Theory]
    [InlineData(false, false, true)]
    [InlineData(false, true, true)]
    [InlineData(true, false, false)]
    [InlineData(true, true, true)]
    public void ShouldProbe_DedicatedAlways_ServerlessOnlyWhenOptedIn(bool serverless, bool optedIn, bool expected) =>
        Assert.Equal(expected, TtftProbePolicy.ShouldProbe(serverless, optedIn));

    [Fact]
    public void MonthlyCost_IsTokensPerProbeTimesProbesPerMonthAtTheTargetsPrices()
    {
        // Every 60 s for 30 days = 43,200 probes; 16 prompt tokens at $0.20/M and 1 completion token at $0.60/M each:
        // 691,200 × 0.20 / 10⁶ + 43,200 × 0.60 / 10⁶ = 0.13824 + 0.02592 = $0.16416.
        var cost = TtftProbePolicy.MonthlyCost(TimeSpan.FromSeconds(60), new TokenPrices(0.2m, 0.6m));

        Assert.Equal(17, cost.TokensPerProbe);
        Assert.Equal(43_200, cost.ProbesPerMonth);
        Assert.Equal(0.16416m, cost.MonthlyUsd);
    }

    [Fact]
    public void MonthlyCost_ScalesWithTheProbeRate()
    {
        var prices = new TokenPrices(3m, 15m);

        Assert.Equal(TtftProbePolicy.MonthlyCost(TimeSpan.FromSeconds(60), prices).MonthlyUsd * 6,
            TtftProbePolicy.MonthlyCost(TimeSpan.FromSeconds(10), prices).MonthlyUsd);
    }

    [Fact]
    public void MonthlyCost_RefusesANonPositiveInterval() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TtftProbePolicy.MonthlyCost(TimeSpan.Zero, new TokenPrices(1, 1)));
}
