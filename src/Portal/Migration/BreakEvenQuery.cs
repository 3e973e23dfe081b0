using Portal.Core.Cost;

namespace Portal.Migration;

/// <summary>
/// The break-even calculator's inputs as the page and <c>GET /api/v1/break-even</c> take them: the GPU type (and region)
/// choose the configured price per GPU-hour unless one is given.
/// </summary>
public sealed record BreakEvenQuery
{
    public decimal InputPricePerMillion { get; set; }
    public decimal OutputPricePerMillion { get; set; }
    public decimal? InputTokensPerRequest { get; set; } = 1_000;
    public decimal? OutputTokensPerRequest { get; set; } = 250;
    public string? GpuType { get; set; } = "h100-80gb";
    public int? GpusPerReplica { get; set; } = 1;
    public int? Replicas { get; set; } = 1;
    public string? Region { get; set; }

    /// <summary>Overrides the configured price of <see cref="GpuType"/>.</summary>
    public decimal? PricePerGpuHour { get; set; }

    /// <summary>0–1; 1 = run the replicas flat out.</summary>
    public decimal? Utilisation { get; set; } = 0.7m;

    public decimal? CapacityTokensPerSecond { get; set; }
    public decimal? ObservedMonthlyRequests { get; set; }

    /// <summary>The price per GPU-hour this query uses: its own, else the configured one; null when neither exists.</summary>
    public decimal? ResolvePrice(GpuPricing pricing) => PricePerGpuHour ?? pricing.Find(GpuType ?? Defaults.GpuType!, Region);

    private static readonly BreakEvenQuery Defaults = new();

    /// <summary>The Core input, or the field errors to show.</summary>
    public (BreakEvenInput? Input, Dictionary<string, string[]> Errors) ToInput(GpuPricing pricing)
    {
        var price = ResolvePrice(pricing);
        var input = new BreakEvenInput(new TokenPrices(InputPricePerMillion, OutputPricePerMillion),
            InputTokensPerRequest ?? Defaults.InputTokensPerRequest!.Value, OutputTokensPerRequest ?? Defaults.OutputTokensPerRequest!.Value,
            Replicas ?? Defaults.Replicas!.Value, GpusPerReplica ?? Defaults.GpusPerReplica!.Value, price ?? 0,
            Utilisation ?? Defaults.Utilisation!.Value, CapacityTokensPerSecond, ObservedMonthlyRequests);
        var errors = BreakEven.Validate(input);
        if (price is null)
        {
            errors["pricePerGpuHour"] = [$"No price per GPU-hour is configured for {GpuType ?? Defaults.GpuType}; give one."];
        }

        return (errors.Count == 0 ? input : null, errors);
    }
}

/// <summary>One point of the chart: monthly requests and what each option costs there.</summary>
public sealed record BreakEvenPoint(decimal MonthlyRequests, decimal ServerlessUsd, decimal DedicatedUsd);

/// <summary>What <c>GET /api/v1/break-even</c> answers.</summary>
public sealed record BreakEvenResponse(
    decimal PricePerGpuHour,
    decimal ServerlessUsdPerRequest,
    decimal DedicatedMonthlyUsd,
    decimal? CrossingMonthlyRequests,
    decimal? CapacityMonthlyRequests,
    bool CrossingBeyondCapacity,
    decimal? ObservedMonthlyRequests,
    decimal? ObservedServerlessMonthlyUsd,
    decimal? ObservedUtilisation,
    bool? DedicatedCheaperAtObserved,
    IReadOnlyList<BreakEvenPoint> Chart)
{
    public static BreakEvenResponse From(BreakEvenResult result) => new(
        result.Input.PricePerGpuHourUsd, result.ServerlessUsdPerRequest, result.DedicatedMonthlyUsd, result.CrossingMonthlyRequests,
        result.CapacityMonthlyRequests, result.CrossingBeyondCapacity, result.Input.ObservedMonthlyRequests, result.ObservedServerlessMonthlyUsd,
        result.ObservedUtilisation, result.DedicatedCheaperAtObserved,
        BreakEven.ChartVolumes(result, 10).Select(v => new BreakEvenPoint(v, result.ServerlessMonthlyUsd(v), result.DedicatedMonthlyUsd)).ToList());
}
