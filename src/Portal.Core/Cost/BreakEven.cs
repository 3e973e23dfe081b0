namespace Portal.Core.Cost;

/// <summary>What the break-even calculator compares: serverless per-token prices against a dedicated configuration.</summary>
/// <param name="Prices">The serverless target's prices per million tokens.</param>
/// <param name="InputTokensPerRequest">Mean prompt tokens per request.</param>
/// <param name="OutputTokensPerRequest">Mean completion tokens per request.</param>
/// <param name="Replicas">Dedicated replicas (baseline, always running).</param>
/// <param name="GpusPerReplica">GPUs per replica.</param>
/// <param name="PricePerGpuHourUsd">Price per GPU-hour of the GPU type.</param>
/// <param name="Utilisation">Share (0–1] of a replica's capacity the dedicated configuration is run at.</param>
/// <param name="CapacityTokensPerSecondPerReplica">Tokens per second one replica serves (measured or benchmarked); null = unknown.</param>
/// <param name="ObservedMonthlyRequests">Observed traffic projected to a month; null = none observed.</param>
public sealed record BreakEvenInput(
    TokenPrices Prices,
    decimal InputTokensPerRequest,
    decimal OutputTokensPerRequest,
    int Replicas,
    int GpusPerReplica,
    decimal PricePerGpuHourUsd,
    decimal Utilisation = 1m,
    decimal? CapacityTokensPerSecondPerReplica = null,
    decimal? ObservedMonthlyRequests = null);

/// <summary>Where serverless and dedicated cost the same, and what the dedicated configuration can carry.</summary>
/// <param name="ServerlessUsdPerRequest">What one mean request costs on serverless.</param>
/// <param name="DedicatedMonthlyUsd">The flat monthly price of the dedicated configuration.</param>
/// <param name="CrossingMonthlyRequests">Monthly requests at which the two cost the same; null when serverless never reaches it.</param>
/// <param name="CapacityMonthlyRequests">Monthly requests the configuration serves at the utilisation; null when capacity is unknown.</param>
/// <param name="ObservedServerlessMonthlyUsd">Serverless cost of the observed volume; null when none observed.</param>
/// <param name="ObservedUtilisation">Observed volume ÷ the configuration's full capacity; null when either is unknown.</param>
public sealed record BreakEvenResult(
    BreakEvenInput Input,
    decimal ServerlessUsdPerRequest,
    decimal DedicatedMonthlyUsd,
    decimal? CrossingMonthlyRequests,
    decimal? CapacityMonthlyRequests,
    decimal? ObservedServerlessMonthlyUsd,
    decimal? ObservedUtilisation)
{
    /// <summary>The crossing lies beyond what the configuration carries at the utilisation: more replicas would be needed there.</summary>
    public bool CrossingBeyondCapacity => CrossingMonthlyRequests is { } crossing && CapacityMonthlyRequests is { } capacity && crossing > capacity;

    /// <summary>At the observed volume dedicated costs no more than serverless.</summary>
    public bool? DedicatedCheaperAtObserved => ObservedServerlessMonthlyUsd is { } observed ? DedicatedMonthlyUsd <= observed : null;

    /// <summary>Serverless monthly cost at <paramref name="monthlyRequests"/>: a straight line through zero.</summary>
    public decimal ServerlessMonthlyUsd(decimal monthlyRequests) => monthlyRequests * ServerlessUsdPerRequest;
}

/// <summary>
/// The break-even rule of DESIGN.md ("Cost") as a function of monthly requests: serverless grows with volume, dedicated
/// is flat; they cross where serverless reaches the dedicated price. Uses <see cref="CostCalculator"/> for both prices.
/// </summary>
public static class BreakEven
{
    private const decimal SecondsPerMonth = CostCalculator.HoursPerMonth * 3600m;

    public static BreakEvenResult Compute(BreakEvenInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = Validate(input);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors.SelectMany(e => e.Value)), nameof(input));
        }

        var tokensPerRequest = input.InputTokensPerRequest + input.OutputTokensPerRequest;
        var perRequest = CostCalculator.ServerlessUsd(input.InputTokensPerRequest, input.OutputTokensPerRequest, input.Prices);
        var dedicated = CostCalculator.DedicatedMonthlyUsd(input.Replicas, input.GpusPerReplica, input.PricePerGpuHourUsd);

        // The break-even volume in requests rather than tokens: the mean request fixes the input share, so dividing by the
        // price of one request is the same equality as CostCalculator.BreakEvenMonthlyTokens without the rounding of the share.
        decimal? crossing = perRequest > 0 ? dedicated / perRequest : null;

        decimal? fullCapacityRequests = input.CapacityTokensPerSecondPerReplica is { } perSecond && tokensPerRequest > 0
            ? input.Replicas * perSecond * SecondsPerMonth / tokensPerRequest
            : null;
        return new BreakEvenResult(
            input,
            perRequest,
            dedicated,
            crossing,
            fullCapacityRequests * input.Utilisation,
            input.ObservedMonthlyRequests * perRequest,
            fullCapacityRequests is > 0 && input.ObservedMonthlyRequests is { } observed ? observed / fullCapacityRequests : null);
    }

    /// <summary>
    /// Evenly spaced monthly volumes from zero for a chart of both costs: <paramref name="intervals"/> + 1 points up to a
    /// quarter beyond the largest of the crossing, the observed volume and the capacity (one million requests when none is known).
    /// </summary>
    public static IReadOnlyList<decimal> ChartVolumes(BreakEvenResult result, int intervals)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(intervals, 1);
        var marks = new[] { result.CrossingMonthlyRequests, result.Input.ObservedMonthlyRequests, result.CapacityMonthlyRequests }
            .Where(mark => mark is > 0)
            .Select(mark => mark!.Value)
            .ToList();
        var end = marks.Count == 0 ? 1_000_000m : decimal.Ceiling(marks.Max() * 1.25m);
        return Enumerable.Range(0, intervals + 1).Select(i => end * i / intervals).ToList();
    }

    /// <summary>Field errors in the management API's shape; empty when <paramref name="input"/> can be computed.</summary>
    public static Dictionary<string, string[]> Validate(BreakEvenInput input)
    {
        var errors = new Dictionary<string, string[]>();
        if (input.Prices.InputPerMillionUsd < 0 || input.Prices.OutputPerMillionUsd < 0)
        {
            errors["prices"] = ["Prices per million tokens cannot be negative."];
        }

        if (input.InputTokensPerRequest < 0 || input.OutputTokensPerRequest < 0)
        {
            errors["tokensPerRequest"] = ["Tokens per request cannot be negative."];
        }

        if (input.Replicas < 1 || input.GpusPerReplica < 1)
        {
            errors["replicas"] = ["A dedicated configuration has at least one replica of at least one GPU."];
        }

        if (input.PricePerGpuHourUsd < 0)
        {
            errors["pricePerGpuHour"] = ["The price per GPU-hour cannot be negative."];
        }

        if (input.Utilisation is <= 0 or > 1)
        {
            errors["utilisation"] = ["Utilisation is a share above 0 and at most 1 (100 %)."];
        }

        if (input.CapacityTokensPerSecondPerReplica is <= 0)
        {
            errors["capacity"] = ["A replica's capacity is more than zero tokens per second; leave it empty when unknown."];
        }

        if (input.ObservedMonthlyRequests is < 0)
        {
            errors["observedMonthlyRequests"] = ["The observed volume cannot be negative."];
        }

        return errors;
    }
}
