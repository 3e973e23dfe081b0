using Portal.Core.Cost;

namespace Portal.Core.Tests.Cost;

public class BudgetRuleTests
{
    private static readonly HashSet<int> _none = [];

    [Fact]
    public void Crossed_SpendAtExactlyTheThreshold_Crosses() =>
        Assert.Equal([50], BudgetRule.Crossed(100m, BudgetRule.DefaultPercentages, 50m, _none));

    [Fact]
    public void Crossed_SpendJustBelow_DoesNotCross() =>
        Assert.Empty(BudgetRule.Crossed(100m, BudgetRule.DefaultPercentages, 49.99m, _none));

    [Fact]
    public void Crossed_AJumpPastSeveralThresholds_TellsEachLowestFirst() =>
        Assert.Equal([50, 80, 100], BudgetRule.Crossed(10m, [100, 50, 80], 12m, _none));

    [Fact]
    public void Crossed_AThresholdAlreadyToldThisMonth_IsNotToldAgain() =>
        Assert.Equal([80], BudgetRule.Crossed(100m, BudgetRule.DefaultPercentages, 85m, new HashSet<int> { 50 }));

    [Fact]
    public void Crossed_WithoutAnAmount_NeverCrosses() =>
        Assert.Empty(BudgetRule.Crossed(0m, BudgetRule.DefaultPercentages, 5m, _none));

    [Fact]
    public void UsedPercent_IsSpendOverBudget() => Assert.Equal(42.5m, BudgetRule.UsedPercent(200m, 85m));

    [Fact]
    public void Validate_AcceptsAnAmountAndDistinctPercentages() =>
        Assert.Empty(BudgetRule.Validate(250m, [50, 80, 100]));

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Validate_RefusesAnAmountOfZeroOrLess(int amount) =>
        Assert.Contains("monthlyUsd", BudgetRule.Validate(amount, null).Keys);

    [Fact]
    public void Validate_RefusesMissingAmount() => Assert.Contains("monthlyUsd", BudgetRule.Validate(null, null).Keys);

    [Theory]
    [InlineData(new int[0])]
    [InlineData(new[] { 0 })]
    [InlineData(new[] { 50, 50 })]
    [InlineData(new[] { 1001 })]
    public void Validate_RefusesBadPercentages(int[] percentages) =>
        Assert.Contains("alertPercentages", BudgetRule.Validate(100m, percentages).Keys);

    [Fact]
    public void FormatAndParse_RoundTripAscending()
    {
        Assert.Equal("50,80,100", BudgetRule.Format([100, 50, 80]));
        Assert.Equal([50, 80, 100], BudgetRule.Parse("50,80,100"));
    }
}
