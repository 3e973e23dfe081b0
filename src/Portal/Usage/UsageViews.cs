using Portal.Core.Cost;

namespace Portal.Usage;

/// <param name="From">First day (UTC), inclusive; default the first of this month.</param>
/// <param name="To">Last day (UTC), inclusive; default today.</param>
public sealed record UsageQuery(DateOnly? From, DateOnly? To, UsageGroupBy GroupBy = UsageGroupBy.Day);

public sealed record UsageReport(
    DateOnly From,
    DateOnly To,
    string GroupBy,
    UsageLineView Total,
    IReadOnlyList<UsageLineView> Lines,
    IReadOnlyList<DailySpendView> DailySpend,
    IReadOnlyList<BudgetView> Budgets);

public sealed record DailySpendView(DateOnly Day, decimal Usd);

/// <summary>One line of a report: <see cref="Group"/> is the day, id, model or tier; <see cref="Label"/> its display name.</summary>
public sealed record UsageLineView(
    string Group,
    string Label,
    long Requests,
    long Errors,
    long PromptTokens,
    long CompletionTokens,
    decimal BaselineGpuHours,
    decimal BurstGpuHours,
    decimal DedicatedUsd,
    decimal ServerlessUsd,
    decimal TotalUsd,
    decimal? UsdPer1kTokens,
    decimal? UsdPerRequest)
{
    public static UsageLineView From(UsageLine line, string label) => new(
        line.Group, label, line.Requests, line.Errors, line.PromptTokens, line.CompletionTokens, line.BaselineGpuHours, line.BurstGpuHours,
        line.DedicatedUsd, line.ServerlessUsd, line.TotalUsd, line.UsdPer1kTokens, line.UsdPerRequest);

    public UsageLine ToLine() => new(Group, Requests, Errors, PromptTokens, CompletionTokens, BaselineGpuHours, BurstGpuHours, DedicatedUsd, ServerlessUsd);
}

/// <summary>A budget and how this month stands against it.</summary>
/// <param name="EndpointId">Null: the tenant's whole spend.</param>
/// <param name="Alerts">Thresholds told this month.</param>
public sealed record BudgetView(
    Guid Id,
    Guid? EndpointId,
    string Scope,
    decimal MonthlyUsd,
    IReadOnlyList<int> AlertPercentages,
    string Month,
    decimal SpendUsd,
    decimal? UsedPercent,
    IReadOnlyList<BudgetAlertView> Alerts,
    DateTimeOffset UpdatedAt,
    string UpdatedBy);

public sealed record BudgetAlertView(int Percent, decimal SpendUsd, DateTimeOffset FiredAt);

/// <param name="MonthlyUsd">The month's budget in USD.</param>
/// <param name="AlertPercentages">Percentages of it that alert; default 50, 80, 100.</param>
public sealed record BudgetRequest(decimal? MonthlyUsd, IReadOnlyList<int>? AlertPercentages);
