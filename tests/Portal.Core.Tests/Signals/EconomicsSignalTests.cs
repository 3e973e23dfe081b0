using Portal.Core.Signals;

namespace Portal.Core.Tests.Signals;

public sealed class EconomicsSignalTests
{
    private static readonly ServerlessPrices _prices = new(InputPerMillion: 2m, OutputPerMillion: 8m);

    [Fact]
    public void Projection_ScalesTheObservedWindowToThirtyDays()
    {
        // 7 days: 70M input × $2 + 7M output × $8 = $196; × 30/7 = $840.
        var monthly = MigrationSignals.ProjectServerlessMonthlyCost(70_000_000, 7_000_000, _prices, TimeSpan.FromDays(7));

        Assert.Equal(840m, monthly);
    }

    [Theory]
    [InlineData(839.99, SignalState.Fires)]
    [InlineData(840, SignalState.Fires)]
    [InlineData(840.01, SignalState.Ok)]
    public void Fires_WhenServerlessCostsAtLeastDedicated(double dedicated, SignalState expected)
    {
        var signal = MigrationSignals.Economics(70_000_000, 7_000_000, _prices, TimeSpan.FromDays(7), (decimal)dedicated);

        Assert.Equal(expected, signal.State);
        Assert.Equal(840, signal.Value);
        Assert.Equal(dedicated, signal.Threshold);
    }

    [Fact]
    public void Evidence_ComparesTheMonthlyCosts() =>
        Assert.Equal(
            "70,000,000 input and 7,000,000 output tokens project to $840/month on serverless vs $840/month dedicated.",
            MigrationSignals.Economics(70_000_000, 7_000_000, _prices, TimeSpan.FromDays(7), 840m).Evidence);

    [Fact]
    public void WithoutADedicatedCost_IsNotEnoughData() =>
        Assert.Equal(SignalState.NotEnoughData, MigrationSignals.Economics(1, 1, _prices, TimeSpan.FromDays(7), null).State);

    [Fact]
    public void WithoutAWindow_IsNotEnoughData() =>
        Assert.Equal(SignalState.NotEnoughData, MigrationSignals.Economics(1, 1, _prices, TimeSpan.Zero, 100m).State);

    [Fact]
    public void NegativePrices_AreRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServerlessPrices(-1m, 1m));
}
