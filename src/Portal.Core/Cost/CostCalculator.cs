namespace Portal.Core.Cost;

/// <summary>Per-token prices of a serverless target, in USD per million tokens.</summary>
public sealed record TokenPrices(decimal InputPerMillionUsd, decimal OutputPerMillionUsd);

/// <summary>Observed serverless traffic scaled to a 30-day month.</summary>
public sealed record ServerlessProjection(decimal MonthlyInputTokens, decimal MonthlyOutputTokens, decimal MonthlyUsd)
{
    public decimal MonthlyTokens => MonthlyInputTokens + MonthlyOutputTokens;
}

/// <summary>The cost rules of DESIGN.md ("Cost"). Money is <see cref="decimal"/> USD; prices come from configuration.</summary>
public static class CostCalculator
{
    /// <summary>Hours in an average month (8,760 ÷ 12), the usual basis of cloud monthly prices.</summary>
    public const decimal HoursPerMonth = 730m;

    public const int ProjectionDays = 30;

    private const decimal TokensPerMillion = 1_000_000m;

    /// <summary>replicas × GPUs per replica × price per GPU-hour × 730.</summary>
    public static decimal DedicatedMonthlyUsd(int replicas, int gpusPerReplica, decimal pricePerGpuHourUsd)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(replicas);
        ArgumentOutOfRangeException.ThrowIfNegative(gpusPerReplica);
        ArgumentOutOfRangeException.ThrowIfNegative(pricePerGpuHourUsd);
        return replicas * gpusPerReplica * pricePerGpuHourUsd * HoursPerMonth;
    }

    /// <summary>input tokens × input price + output tokens × output price, prices per million.</summary>
    public static decimal ServerlessUsd(decimal inputTokens, decimal outputTokens, TokenPrices prices) =>
        (inputTokens * prices.InputPerMillionUsd + outputTokens * prices.OutputPerMillionUsd) / TokensPerMillion;

    /// <summary>
    /// Scales the tokens observed over <paramref name="window"/> to 30 days and prices them: the one serverless
    /// projection, used by cost pages and the economics migration signal alike.
    /// </summary>
    public static ServerlessProjection ProjectServerlessMonthly(long inputTokens, long outputTokens, TimeSpan window, TokenPrices prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentOutOfRangeException.ThrowIfNegative(inputTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(outputTokens);
        if (window <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, "The observation window must be longer than zero.");
        }

        // Multiply before dividing so whole-day windows project exactly (a 30-day window projects to itself).
        decimal month = TimeSpan.FromDays(ProjectionDays).Ticks;
        var monthlyInput = inputTokens * month / window.Ticks;
        var monthlyOutput = outputTokens * month / window.Ticks;
        var observedUsd = ServerlessUsd(inputTokens, outputTokens, prices);
        return new ServerlessProjection(monthlyInput, monthlyOutput, observedUsd * month / window.Ticks);
    }

    /// <summary>Spend ÷ requests; null when there were no requests.</summary>
    public static decimal? PerRequest(decimal usd, long requests) => requests > 0 ? usd / requests : null;

    /// <summary>
    /// Monthly tokens at which serverless costs as much as <paramref name="dedicatedMonthlyUsd"/>, for traffic whose
    /// share of input tokens is <paramref name="inputShare"/> (0..1). Null when tokens are free (no break-even).
    /// </summary>
    public static decimal? BreakEvenMonthlyTokens(decimal dedicatedMonthlyUsd, TokenPrices prices, decimal inputShare)
    {
        if (inputShare is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(inputShare), inputShare, "The input share must be between 0 and 1.");
        }

        var blendedPerMillion = inputShare * prices.InputPerMillionUsd + (1 - inputShare) * prices.OutputPerMillionUsd;
        return blendedPerMillion <= 0 ? null : dedicatedMonthlyUsd * TokensPerMillion / blendedPerMillion;
    }

    /// <summary>observed tokens ÷ (capacity tokens per second × seconds in the window); 1.0 = fully used.</summary>
    public static double Utilisation(long observedTokens, TimeSpan window, double capacityTokensPerSecond)
    {
        if (window <= TimeSpan.Zero || capacityTokensPerSecond <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(window), "The window and the capacity must be greater than zero.");
        }

        return observedTokens / (capacityTokensPerSecond * window.TotalSeconds);
    }
}
