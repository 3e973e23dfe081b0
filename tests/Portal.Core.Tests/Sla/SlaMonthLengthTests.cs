using Portal.Core.Sla;

namespace Portal.Core.Tests.Sla;

/// <summary>The whole chain — probes, downtime, uptime, budget, credit — in months of each length.</summary>
public sealed class SlaMonthLengthTests
{
    private static readonly Guid Target = Guid.NewGuid();

    private static readonly SlaOptions Options = new()
    {
        CreditTiers = [new CreditTier(99.9m, 10m), new CreditTier(99m, 25m), new CreditTier(95m, 100m)],
    };

    private static ProbeResult[] Outage(DateTimeOffset start, double minutes) =>
        [new(Target, start, false), new(Target, start.AddSeconds(30), false), new(Target, start.AddMinutes(minutes), true)];

    [Theory]
    [InlineData(2026, 2, 40.32)]
    [InlineData(2026, 4, 43.2)]
    [InlineData(2026, 12, 44.64)]
    public void DowntimeOfExactlyTheAllowance_IsThreeNines_SpendsTheBudget_AndEarnsNoCredit(int year, int month, double allowance)
    {
        var sla = new SlaMonth(year, month);
        var uptime = SlaCalculator.Monthly(sla, Outage(sla.Start.AddDays(3), allowance), [], Options);
        var budget = ErrorBudget.For(uptime, Options, sla.End);

        Assert.Equal(99.9m, uptime.UptimePercent);
        Assert.Equal(0m, budget.LeftMinutes);
        Assert.Equal(1m, budget.BurnRate);
        Assert.Equal(SlaRisk.Ok, SlaRiskRule.Of(budget));
        Assert.Null(Options.TierFor(uptime.UptimePercent));
    }

    [Theory]
    [InlineData(2026, 2)]
    [InlineData(2026, 4)]
    [InlineData(2026, 12)]
    public void OneMinuteMoreThanTheAllowance_BreachesAndEarnsTheFirstCredit(int year, int month)
    {
        var sla = new SlaMonth(year, month);
        var allowed = (double)(sla.Minutes * 0.001m);
        var uptime = SlaCalculator.Monthly(sla, Outage(sla.Start.AddDays(3), allowed + 1), [], Options);
        var budget = ErrorBudget.For(uptime, Options, sla.End);

        Assert.True(uptime.UptimePercent < 99.9m);
        Assert.Equal(-1m, budget.LeftMinutes);
        Assert.Equal(SlaRisk.Breached, SlaRiskRule.Of(budget));
        Assert.Equal(10m, Options.TierFor(uptime.UptimePercent)!.CreditPercent);
    }

    [Fact]
    public void AMaintenanceWindowAcrossTheMonthEnd_ExcludesOnlyItsPartInsideTheMonth()
    {
        var february = new SlaMonth(2026, 2);
        // Down 23:00 on 28 Feb until 01:00 on 1 March; maintenance from 23:30 to 00:30.
        var start = february.End.AddHours(-1);
        var probes = Outage(start, 120);
        var maintenance = new UtcInterval(february.End.AddMinutes(-30), february.End.AddMinutes(30));

        var uptime = SlaCalculator.Monthly(february, probes, [maintenance], Options);

        Assert.Equal(30m, uptime.DownMinutes);
        Assert.Equal(40_320m, uptime.MinutesInMonth);
        Assert.Equal(100m * (1m - 30m / 40_320m), uptime.UptimePercent);
    }

    [Fact]
    public void HalfwayThroughTheMonth_HalfTheAllowanceUsed_BurnsAtOne_AndMoreIsAtRisk()
    {
        var march = new SlaMonth(2026, 3);
        var half = march.Start.AddDays(15.5);

        var onPace = ErrorBudget.For(march, 99.9m, 22.32m, half);
        var fast = ErrorBudget.For(march, 99.9m, 30m, half);

        Assert.Equal(1m, onPace.BurnRate);
        Assert.Equal(SlaRisk.Ok, SlaRiskRule.Of(onPace));
        Assert.Equal(SlaRisk.AtRisk, SlaRiskRule.Of(fast));
        Assert.Equal(14.64m, fast.LeftMinutes);
    }
}
