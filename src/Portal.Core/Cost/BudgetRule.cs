namespace Portal.Core.Cost;

/// <summary>
/// Monthly budgets and their alerts: a budget of <c>MonthlyUsd</c> alerts when the month-to-date spend reaches each of
/// its percentages. Each threshold is told once a month: the caller passes the thresholds already told.
/// </summary>
public static class BudgetRule
{
    public static IReadOnlyList<int> DefaultPercentages { get; } = [50, 80, 100];

    public const int MaxPercentages = 10;

    public const int MaxPercent = 1000;

    /// <summary>The thresholds reached by <paramref name="spendUsd"/> and not yet told this month, lowest first.</summary>
    public static IReadOnlyList<int> Crossed(decimal monthlyUsd, IEnumerable<int> percentages, decimal spendUsd, IReadOnlySet<int> alreadyTold)
    {
        ArgumentNullException.ThrowIfNull(percentages);
        ArgumentNullException.ThrowIfNull(alreadyTold);
        if (monthlyUsd <= 0)
        {
            return [];
        }

        return percentages.Distinct().Order()
            .Where(p => !alreadyTold.Contains(p) && spendUsd * 100m >= monthlyUsd * p)
            .ToList();
    }

    /// <summary>Spend as a percentage of the budget; null without a budget amount.</summary>
    public static decimal? UsedPercent(decimal monthlyUsd, decimal spendUsd) => monthlyUsd > 0 ? spendUsd * 100m / monthlyUsd : null;

    /// <summary>Field errors in the management API's shape; empty when the budget can be saved.</summary>
    public static Dictionary<string, string[]> Validate(decimal? monthlyUsd, IReadOnlyCollection<int>? percentages)
    {
        var errors = new Dictionary<string, string[]>();
        if (monthlyUsd is not > 0)
        {
            errors["monthlyUsd"] = ["A monthly budget is an amount in USD above zero."];
        }
        else if (monthlyUsd > 1_000_000_000m)
        {
            errors["monthlyUsd"] = ["A monthly budget is at most 1,000,000,000 USD."];
        }

        if (percentages is not null)
        {
            if (percentages.Count is 0 or > MaxPercentages)
            {
                errors["alertPercentages"] = [$"Give between 1 and {MaxPercentages} alert percentages (e.g. 50, 80, 100)."];
            }
            else if (percentages.Any(p => p is < 1 or > MaxPercent))
            {
                errors["alertPercentages"] = [$"Each alert percentage is a whole number from 1 to {MaxPercent}."];
            }
            else if (percentages.Distinct().Count() != percentages.Count)
            {
                errors["alertPercentages"] = ["Each alert percentage appears once."];
            }
        }

        return errors;
    }

    /// <summary>Stored form: ascending, comma-separated (e.g. <c>50,80,100</c>).</summary>
    public static string Format(IEnumerable<int> percentages) => string.Join(',', percentages.Distinct().Order());

    public static IReadOnlyList<int> Parse(string stored) =>
        stored.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToList();
}
