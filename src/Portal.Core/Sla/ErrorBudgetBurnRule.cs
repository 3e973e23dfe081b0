using System.Globalization;

namespace Portal.Core.Sla;

/// <summary>What the probe job does with an endpoint's uptime burn episode after a tick.</summary>
public enum ErrorBudgetBurnAction
{
    None,

    /// <summary>The budget began burning too fast (or ran out): open an episode and tell the tenant once.</summary>
    Start,

    /// <summary>The budget lasts the month again (or a new month began within it): close the episode silently.</summary>
    End,
}

/// <summary>
/// A burn episode of the monthly uptime SLA: the span during which <see cref="SlaRiskRule"/> says at risk or breached.
/// Deciding from the stored open episode, not from the previous tick, makes a re-run or a second instance tell nothing twice.
/// </summary>
public static class ErrorBudgetBurnRule
{
    public static ErrorBudgetBurnAction Decide(ErrorBudget budget, bool episodeOpen)
    {
        ArgumentNullException.ThrowIfNull(budget);
        var burning = SlaRiskRule.Of(budget) != SlaRisk.Ok;
        return (burning, episodeOpen) switch
        {
            (true, false) => ErrorBudgetBurnAction.Start,
            (false, true) => ErrorBudgetBurnAction.End,
            _ => ErrorBudgetBurnAction.None,
        };
    }

    /// <summary>The notice's sentence: how much of the month's budget is used and how fast it goes.</summary>
    public static string Describe(ErrorBudget budget, decimal targetUptimePercent)
    {
        ArgumentNullException.ThrowIfNull(budget);
        var used = string.Create(CultureInfo.InvariantCulture, $"{budget.UsedMinutes:0.#} of {budget.AllowedMinutes:0.#} allowed down minutes this month (target {targetUptimePercent} % uptime)");
        return budget.LeftMinutes < 0
            ? $"The uptime SLA is breached: {used} are used."
            : string.Create(CultureInfo.InvariantCulture, $"The uptime error budget burns {budget.BurnRate:0.#}× too fast: {used} are used, and at this pace it runs out before the month ends.");
    }
}
