using Portal.Core.Sla;

namespace Portal.Core.Tests.Sla;

public sealed class CreditTierTests
{
    private static readonly SlaOptions _options = new()
    {
        CreditTiers = [new(95m, 100m), new(99.9m, 10m), new(99m, 25m)],
    };

    [Theory]
    [InlineData(100, null)]
    [InlineData(99.95, null)]
    [InlineData(99.9, null)]
    [InlineData(99.899, 10)]
    [InlineData(99, 10)]
    [InlineData(98.5, 25)]
    [InlineData(94, 100)]
    public void TierFor_IsTheWorstBandTheUptimeIsStrictlyBelow(double uptimePercent, int? credit) =>
        Assert.Equal(credit is null ? null : (decimal)credit, _options.TierFor((decimal)uptimePercent)?.CreditPercent);

    [Fact]
    public void WithoutTiers_NoCreditApplies() => Assert.Null(new SlaOptions().TierFor(50m));

    [Fact]
    public void Validate_AcceptsTheDefaultsAndSensibleTiers()
    {
        Assert.Empty(new SlaOptions().Validate());
        Assert.Empty(_options.Validate());
    }

    [Fact]
    public void Validate_NamesEachProblem()
    {
        var options = new SlaOptions
        {
            ProbeInterval = TimeSpan.Zero,
            TargetUptimePercent = 101m,
            CreditTiers = [new(99m, 10m), new(99m, 20m), new(120m, 150m)],
        };

        Assert.Equal(5, options.Validate().Count);
    }
}
