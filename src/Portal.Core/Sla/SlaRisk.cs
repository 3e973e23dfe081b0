namespace Portal.Core.Sla;

/// <summary>How an endpoint stands against its SLA this month, for support's fleet view and the SLA page.</summary>
public enum SlaRisk
{
    /// <summary>The budget is burning no faster than it lasts the month.</summary>
    Ok,

    /// <summary>Burn rate above 1: at this pace the budget runs out before the month ends.</summary>
    AtRisk,

    /// <summary>The month's budget is spent: uptime is below the target.</summary>
    Breached,
}

public static class SlaRiskRule
{
    public static SlaRisk Of(ErrorBudget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        return budget.LeftMinutes < 0 ? SlaRisk.Breached : budget.BurnRate > 1m ? SlaRisk.AtRisk : SlaRisk.Ok;
    }
}
