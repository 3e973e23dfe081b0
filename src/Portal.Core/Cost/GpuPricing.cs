namespace Portal.Core.Cost;

/// <summary>
/// Prices per GPU-hour in USD, bound from the host's configuration (section <c>Pricing:Gpus</c>), never from code.
/// A region may override the price of a GPU type.
/// </summary>
public sealed class GpuPricing
{
    public const string SectionName = "Pricing:Gpus";

    /// <summary>GPU type id → USD per GPU-hour.</summary>
    public Dictionary<string, decimal> PerGpuHourUsd { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Region id → (GPU type id → USD per GPU-hour), for regions that price differently.</summary>
    public Dictionary<string, Dictionary<string, decimal>> RegionOverrides { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The region's override if it has one, else the list price; null when the GPU type has no price.</summary>
    public decimal? Find(string gpuTypeId, string? regionId = null)
    {
        if (regionId is not null
            && RegionOverrides.TryGetValue(regionId, out var overrides)
            && TryGet(overrides, gpuTypeId, out var regional))
        {
            return regional;
        }

        return TryGet(PerGpuHourUsd, gpuTypeId, out var price) ? price : null;
    }

    public decimal Get(string gpuTypeId, string? regionId = null) => Find(gpuTypeId, regionId)
        ?? throw new KeyNotFoundException(
            $"No price per GPU-hour is configured for GPU type '{gpuTypeId}'. Set {SectionName}:PerGpuHourUsd:{gpuTypeId}.");

    // Configuration binding may replace the dictionaries with case-sensitive ones, so look up without relying on the comparer.
    private static bool TryGet(Dictionary<string, decimal> prices, string key, out decimal price)
    {
        if (prices.TryGetValue(key, out price))
        {
            return true;
        }

        foreach (var (candidate, value) in prices)
        {
            if (string.Equals(candidate, key, StringComparison.OrdinalIgnoreCase))
            {
                price = value;
                return true;
            }
        }

        return false;
    }
}
