using System.Globalization;
using Portal.Core.Cost;
using Portal.Core.Latency;

namespace Portal.Core.Signals;

/// <summary>
/// The four migration signals of DESIGN.md, each a pure rule with its threshold. <see cref="MigrationAdvisor"/>
/// combines them into a recommendation.
/// </summary>
public static class MigrationSignals
{
    /// <summary>Tail divergence fires when p99 ÷ p50 is strictly above this.</summary>
    public const double TailRatioThreshold = 3.0;

    /// <summary>Fewer TTFT measurements than this make tail divergence "not enough data".</summary>
    public const long MinimumRequests = 100;

    /// <summary>Tail divergence of a production TTFT histogram; needs <see cref="MinimumRequests"/> values.</summary>
    public static MigrationSignal TailDivergence(LatencyHistogram ttft)
    {
        ArgumentNullException.ThrowIfNull(ttft);
        return ttft.Count < MinimumRequests
            ? TailDivergence(ttft.Count, 0, 0)
            : TailDivergence(ttft.Count, ttft.Percentile(50)!.Value, ttft.Percentile(99)!.Value);
    }

    /// <summary>
    /// Tail divergence from its numbers: fires when <paramref name="p99Ms"/> ÷ <paramref name="p50Ms"/> &gt; 3
    /// (exactly 3 does not), "not enough data" below 100 requests with a TTFT.
    /// </summary>
    public static MigrationSignal TailDivergence(long requests, double p50Ms, double p99Ms)
    {
        if (requests < MinimumRequests)
        {
            return new MigrationSignal(
                SignalKind.TailDivergence,
                SignalState.NotEnoughData,
                null,
                TailRatioThreshold,
                $"Only {Count(requests)} requests with a TTFT in the window; tail divergence needs at least {MinimumRequests}.");
        }

        if (p50Ms <= 0 || p99Ms < p50Ms)
        {
            throw new ArgumentException($"p50 {p50Ms} ms and p99 {p99Ms} ms are not percentiles of TTFTs.", nameof(p99Ms));
        }

        var ratio = p99Ms / p50Ms;
        var fires = ratio > TailRatioThreshold;
        return new MigrationSignal(
            SignalKind.TailDivergence,
            fires ? SignalState.Fires : SignalState.Ok,
            ratio,
            TailRatioThreshold,
            $"p99 TTFT {Milliseconds(p99Ms)} is {Ratio(ratio)}× p50 {Milliseconds(p50Ms)} over {Count(requests)} requests; "
            + (fires ? "above 3× the tail hurts users." : "3× or less is a healthy tail."));
    }

    /// <summary>Fires on any cold-start event; "not enough data" when there was no production request.</summary>
    public static MigrationSignal ColdStarts(long requests, long coldStarts)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(requests);
        ArgumentOutOfRangeException.ThrowIfNegative(coldStarts);
        if (requests == 0)
        {
            return new MigrationSignal(SignalKind.ColdStarts, SignalState.NotEnoughData, null, 1, "No production requests in the window.");
        }

        if (coldStarts == 0)
        {
            return new MigrationSignal(SignalKind.ColdStarts, SignalState.Ok, 0, 1, $"No cold starts in {Count(requests)} requests.");
        }

        return new MigrationSignal(
            SignalKind.ColdStarts,
            SignalState.Fires,
            coldStarts,
            1,
            $"{Count(coldStarts)} cold start{(coldStarts == 1 ? "" : "s")} in {Count(requests)} requests, 1 in {Count(ColdStartRule.OneIn(requests, coldStarts)!.Value)}.");
    }

    /// <summary>The projected serverless monthly cost, by <see cref="CostCalculator.ProjectServerlessMonthly"/> (the one rule).</summary>
    public static decimal ProjectServerlessMonthlyCost(long inputTokens, long outputTokens, ServerlessPrices prices, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(prices);
        return CostCalculator.ProjectServerlessMonthly(inputTokens, outputTokens, window, new TokenPrices(prices.InputPerMillion, prices.OutputPerMillion)).MonthlyUsd;
    }

    /// <summary>
    /// Fires when the projected serverless monthly cost is at or above (≥) the dedicated monthly cost of the smallest
    /// configuration that fits; "not enough data" when that cost is unknown or the window is empty.
    /// </summary>
    public static MigrationSignal Economics(long inputTokens, long outputTokens, ServerlessPrices prices, TimeSpan window, decimal? dedicatedMonthlyCost)
    {
        if (dedicatedMonthlyCost is not { } dedicated)
        {
            return new MigrationSignal(SignalKind.Economics, SignalState.NotEnoughData, null, 0, "No dedicated configuration that fits is priced, so there is nothing to compare with.");
        }

        if (window <= TimeSpan.Zero)
        {
            return new MigrationSignal(SignalKind.Economics, SignalState.NotEnoughData, null, (double)dedicated, "No observed window to project serverless spend from.");
        }

        var serverless = ProjectServerlessMonthlyCost(inputTokens, outputTokens, prices, window);
        var fires = serverless >= dedicated;
        return new MigrationSignal(
            SignalKind.Economics,
            fires ? SignalState.Fires : SignalState.Ok,
            (double)serverless,
            (double)dedicated,
            $"{Count(inputTokens)} input and {Count(outputTokens)} output tokens project to {Money(serverless)}/month on serverless "
            + $"{(fires ? "vs" : "below")} {Money(dedicated)}/month dedicated.");
    }

    /// <summary>
    /// Utilisation at which dedicated pays off: the product's wording is "dedicated pays off once a replica would run
    /// at 40–50 % utilisation"; the signal fires from the lower edge of that band.
    /// </summary>
    public const double PaysOffUtilisation = 0.40;

    /// <summary>The upper edge of that band, named in the evidence.</summary>
    public const double PaysOffBandTop = 0.50;

    /// <summary>
    /// Economics measured against a replica's capacity: the generated tokens of the window ÷ (capacity × replica time).
    /// Fires at or above <see cref="PaysOffUtilisation"/>; "not enough data" without a window. The monthly costs, when
    /// known, go into the evidence.
    /// </summary>
    /// <param name="replicaTime">One replica over the observed window (serverless), or the replicas' real lifetimes in it (dedicated).</param>
    public static MigrationSignal Utilisation(long outputTokens, TimeSpan replicaTime, ReplicaCapacity capacity,
        decimal? serverlessMonthly = null, decimal? dedicatedMonthly = null)
    {
        ArgumentNullException.ThrowIfNull(capacity);
        if (replicaTime <= TimeSpan.Zero)
        {
            return new MigrationSignal(SignalKind.Economics, SignalState.NotEnoughData, null, PaysOffUtilisation,
                "No replica time in the window to measure utilisation against.", MigrationSignal.UtilisationUnit);
        }

        var utilisation = CostCalculator.Utilisation(outputTokens, replicaTime, capacity.TokensPerSecond);
        var fires = utilisation >= PaysOffUtilisation;
        var costs = serverlessMonthly is { } serverless && dedicatedMonthly is { } dedicated
            ? $" Serverless projects to {Money(serverless)}/month against {Money(dedicated)}/month dedicated."
            : "";
        return new MigrationSignal(
            SignalKind.Economics,
            fires ? SignalState.Fires : SignalState.Ok,
            utilisation,
            PaysOffUtilisation,
            $"{Count(outputTokens)} generated tokens over {Hours(replicaTime)} replica-hours is {Percent(utilisation)} of a replica's "
            + $"{capacity.TokensPerSecond.ToString("#,##0.#", CultureInfo.InvariantCulture)} tokens/s ({capacity.Source}); dedicated pays off at "
            + $"{(PaysOffUtilisation * 100).ToString("0", CultureInfo.InvariantCulture)}–{Percent(PaysOffBandTop)}.{costs}",
            MigrationSignal.UtilisationUnit);
    }

    /// <summary>Fires when any need only dedicated can meet holds; the evidence names each need's source and what else was checked.</summary>
    public static MigrationSignal Requirements(HardRequirements requirements)
    {
        ArgumentNullException.ThrowIfNull(requirements);
        var needs = requirements.Needs.Select(n => $"{n.Need} ({n.Source})").ToList();
        var checkedText = requirements.Checked.Count == 0 ? "" : $" Checked: {JoinAnd(requirements.Checked)}.";
        return needs.Count == 0
            ? new MigrationSignal(SignalKind.Requirements, SignalState.Ok, 0, 1, $"No requirement that only dedicated can meet.{checkedText}")
            : new MigrationSignal(SignalKind.Requirements, SignalState.Fires, needs.Count, 1,
                $"Needs {JoinAnd(needs)}, which serverless cannot provide.{checkedText}");
    }

    internal static string Ratio(double ratio) => ratio.ToString("0.0##", CultureInfo.InvariantCulture);

    internal static string Count(long value) => value.ToString("#,##0", CultureInfo.InvariantCulture);

    internal static string Money(decimal value) =>
        "$" + value.ToString(decimal.Round(value, 2) == decimal.Round(value) ? "#,##0" : "#,##0.00", CultureInfo.InvariantCulture);

    internal static string JoinAnd(IReadOnlyList<string> parts) => parts.Count switch
    {
        0 => "",
        1 => parts[0],
        _ => string.Join(", ", parts.Take(parts.Count - 1)) + " and " + parts[^1],
    };

    internal static string Percent(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %";

    private static string Hours(TimeSpan time) => time.TotalHours.ToString("#,##0.##", CultureInfo.InvariantCulture);

    private static string Milliseconds(double value) => value.ToString("#,##0.#", CultureInfo.InvariantCulture) + " ms";
}
