using Portal.Core.Sla;
using static Portal.Core.Tests.Sla.SlaTestData;

namespace Portal.Core.Tests.Sla;

public sealed class ErrorBudgetTests
{
    [Theory]
    [InlineData(2026, 2, 40.32)]
    [InlineData(2026, 4, 43.2)]
    [InlineData(2026, 1, 44.64)]
    public void ThreeNines_AllowsDesignsMinutesPerMonth(int year, int month, double allowed)
    {
        var budget = ErrorBudget.For(new SlaMonth(year, month), 99.9m, 0m, new SlaMonth(year, month).End);

        Assert.Equal((decimal)allowed, budget.AllowedMinutes);
        Assert.Equal((decimal)allowed, budget.LeftMinutes);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(21.6, 1)]
    [InlineData(43.2, 2)]
    public void BurnRate_ComparesUseWithTheShareOfTheMonthElapsed(double used, double burnRate)
    {
        var halfway = Utc(4, 16, 0, 0);

        var budget = ErrorBudget.For(SlaTestData.April, 99.9m, (decimal)used, halfway);

        Assert.Equal(0.5m, budget.ElapsedFraction);
        Assert.Equal((decimal)burnRate, budget.BurnRate);
        Assert.Equal(43.2m - (decimal)used, budget.LeftMinutes);
    }

    [Fact]
    public void Overspending_LeavesANegativeBudget() =>
        Assert.Equal(-6.8m, ErrorBudget.For(SlaTestData.April, 99.9m, 50m, Utc(4, 20, 0, 0)).LeftMinutes);

    [Fact]
    public void AtTheMonthStart_BurnRateIsUnknown() =>
        Assert.Null(ErrorBudget.For(SlaTestData.April, 99.9m, 0m, Utc(4, 1, 0, 0)).BurnRate);

    [Fact]
    public void FromAMonthlyResult_UsesItsDownMinutesAndTheConfiguredTarget()
    {
        var uptime = SlaCalculator.Monthly(SlaTestData.April, [Fail(Utc(4, 2, 0, 0)), Fail(Utc(4, 2, 0, 0, 30)), Ok(Utc(4, 2, 0, 10))], [], Options);

        var budget = ErrorBudget.For(uptime, Options, SlaTestData.April.End);

        Assert.Equal(10m, budget.UsedMinutes);
        Assert.Equal(33.2m, budget.LeftMinutes);
        Assert.Equal(10m / 43.2m, budget.BurnRate);
    }
}
