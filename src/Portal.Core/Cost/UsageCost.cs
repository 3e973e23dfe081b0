using Portal.Core.Gateway;
using Portal.Core.Latency;

namespace Portal.Core.Cost;

/// <summary>
/// The usage and cost rules: which tier a measured request counts under, what its tokens cost on a serverless target,
/// and the unit costs shown beside every total.
/// </summary>
public static class UsageCost
{
    /// <summary>
    /// The tier a request counts under: a shadow copy is the platform's test traffic, never the customer's, so it is
    /// its own tier whatever its target (it still costs money); otherwise its target's kind.
    /// </summary>
    public static string TierOf(TargetKind? target, bool shadow) =>
        shadow ? ServingTier.Shadow : target == TargetKind.Serverless ? ServingTier.Serverless : ServingTier.Dedicated;

    /// <summary>A response the caller could not use: any status from this one up.</summary>
    public const int FirstErrorStatus = 400;

    public static bool IsError(int statusCode) => statusCode >= FirstErrorStatus;

    /// <summary>
    /// What one request's tokens cost on its target: the serverless prices for a serverless target, nothing for a
    /// dedicated one (its replicas are paid by the hour, see <see cref="DedicatedSpend"/>).
    /// </summary>
    public static decimal RequestUsd(TargetKind? target, long? promptTokens, long? completionTokens, TokenPrices? prices) =>
        target == TargetKind.Serverless && prices is not null
            ? CostCalculator.ServerlessUsd(promptTokens ?? 0, completionTokens ?? 0, prices)
            : 0m;

    /// <summary>Spend ÷ tokens × 1,000; null when no token was served.</summary>
    public static decimal? Per1kTokens(decimal usd, long tokens) => tokens > 0 ? usd * 1000m / tokens : null;

    /// <summary>The UTC calendar month <paramref name="month"/> (<c>yyyy-MM</c>) as [first day, first day of the next month).</summary>
    public static bool TryParseMonth(string? month, out DateOnly first)
    {
        first = default;
        if (month is not { Length: 7 } || month[4] != '-'
            || !int.TryParse(month.AsSpan(0, 4), System.Globalization.NumberStyles.None, null, out var year)
            || !int.TryParse(month.AsSpan(5, 2), System.Globalization.NumberStyles.None, null, out var number)
            || year is < 2000 or > 9998 || number is < 1 or > 12)
        {
            return false;
        }

        first = new DateOnly(year, number, 1);
        return true;
    }

    /// <summary>The month's name as the API, CLI and notices write it.</summary>
    public static string MonthName(DateOnly day) => $"{day.Year:D4}-{day.Month:D2}";

    /// <summary>Start of a UTC day.</summary>
    public static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
