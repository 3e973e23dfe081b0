using Portal.Core.Cost;

namespace Portal.Core.Probing;

/// <summary>What a synthetic TTFT probe costs a serverless target over a 30-day month.</summary>
public sealed record TtftProbeCost(int TokensPerProbe, long ProbesPerMonth, decimal MonthlyUsd);

/// <summary>
/// Which targets get the synthetic one-token chat request that measures TTFT, and what it costs. A dedicated target's
/// replicas are always warm and paid for by the hour: they are always probed. A serverless target is watched from its
/// production traffic and a models listing that loads nothing; a chat probe would keep it warm (no cold start would
/// ever be seen again) and spend the customer's tokens, so it runs only when the tenant opted in for that target.
/// </summary>
public static class TtftProbePolicy
{
    /// <summary>The probe's prompt ("health probe" in a chat template), counted generously.</summary>
    public const int PromptTokens = 16;

    /// <summary>The probe asks for one token.</summary>
    public const int CompletionTokens = 1;

    public static bool ShouldProbe(bool serverless, bool optedIn) => !serverless || optedIn;

    /// <summary>tokens per probe × probes per month (30 days ÷ interval) × the target's token prices.</summary>
    public static TtftProbeCost MonthlyCost(TimeSpan interval, TokenPrices prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "A probe interval is positive.");
        }

        var probes = TimeSpan.FromDays(CostCalculator.ProjectionDays).Ticks / interval.Ticks;
        return new TtftProbeCost(PromptTokens + CompletionTokens, probes,
            CostCalculator.ServerlessUsd((decimal)probes * PromptTokens, (decimal)probes * CompletionTokens, prices));
    }
}
