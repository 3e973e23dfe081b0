using Portal.Core.Sla;
using static Portal.Core.Tests.Sla.SlaTestData;

namespace Portal.Core.Tests.Sla;

public sealed class ErrorBudgetBurnRuleTests
{
    private static readonly DateTimeOffset Halfway = Utc(4, 16, 0, 0);

    [Theory]
    [InlineData(30, false, ErrorBudgetBurnAction.Start)] // burn rate above 1
    [InlineData(50, false, ErrorBudgetBurnAction.Start)] // breached
    [InlineData(30, true, ErrorBudgetBurnAction.None)]
    [InlineData(50, true, ErrorBudgetBurnAction.None)]
    [InlineData(21.6, false, ErrorBudgetBurnAction.None)] // exactly on pace
    [InlineData(10, true, ErrorBudgetBurnAction.End)]
    [InlineData(0, false, ErrorBudgetBurnAction.None)]
    public void Decide_OpensOneEpisodeWhileBurningAndClosesItWhenTheBudgetLastsAgain(double used, bool episodeOpen, ErrorBudgetBurnAction expected) =>
        Assert.Equal(expected, ErrorBudgetBurnRule.Decide(ErrorBudget.For(April, 99.9m, (decimal)used, Halfway), episodeOpen));

    [Fact]
    public void Decide_AtTheMonthsFirstInstant_NothingBurnsSoAnOpenEpisodeEnds() =>
        Assert.Equal(ErrorBudgetBurnAction.End, ErrorBudgetBurnRule.Decide(ErrorBudget.For(April, 99.9m, 0m, April.Start), episodeOpen: true));

    [Fact]
    public void Describe_SaysBreachedOnceTheBudgetIsSpent_OtherwiseHowFastItBurns()
    {
        Assert.StartsWith("The uptime SLA is breached: 50 of 43.2 allowed",
            ErrorBudgetBurnRule.Describe(ErrorBudget.For(April, 99.9m, 50m, Halfway), 99.9m), StringComparison.Ordinal);
        Assert.StartsWith("The uptime error budget burns 1.5× too fast: 32.4 of 43.2",
            ErrorBudgetBurnRule.Describe(ErrorBudget.For(April, 99.9m, 32.4m, Halfway), 99.9m), StringComparison.Ordinal);
    }
}
