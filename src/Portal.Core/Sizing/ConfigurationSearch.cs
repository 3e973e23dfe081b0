using Portal.Core.Catalog;
using Portal.Core.Cost;
using Portal.Core.Deployments;

namespace Portal.Core.Sizing;

/// <summary>A GPU type × GPUs per replica that fits, with the regions offering it and its cheapest price.</summary>
public sealed record FitCandidate(
    GpuType Gpu,
    int GpusPerReplica,
    IReadOnlyList<Region> Regions,
    FitResult Fit,
    decimal? PricePerReplicaHourUsd)
{
    /// <summary>"4 × H100 80GB".</summary>
    public override string ToString() => $"{GpusPerReplica} × {Gpu.DisplayName}";
}

/// <summary>Searches GPU types × GPUs per replica for configurations that fit a model.</summary>
public static class ConfigurationSearch
{
    /// <summary>
    /// Every fitting configuration, smallest first: fewest GPUs per replica, then cheapest per replica-hour
    /// (unpriced last), then least GPU memory. Only regions in <paramref name="allowedRegions"/> count (null = all).
    /// </summary>
    public static IReadOnlyList<FitCandidate> FindAll(
        string modelName,
        ModelArchitecture model,
        RuntimeSettings runtime,
        ModelCatalog catalog,
        IReadOnlyCollection<string>? allowedRegions = null,
        GpuPricing? pricing = null)
    {
        var candidates = new List<FitCandidate>();
        foreach (var gpu in catalog.Gpus)
        {
            var regions = catalog.RegionsOffering(gpu.Id)
                .Where(r => allowedRegions is null || allowedRegions.Contains(r.Id, StringComparer.OrdinalIgnoreCase))
                .ToList();
            if (regions.Count == 0)
            {
                continue;
            }

            foreach (var tp in FitCalculator.TensorParallelSizes)
            {
                var fit = FitCalculator.Check(modelName, model, gpu, tp, runtime);
                if (!fit.Fits)
                {
                    continue;
                }

                var price = pricing is null
                    ? null
                    : regions.Select(r => pricing.Find(gpu.Id, r.Id)).Where(p => p is not null).Min();
                candidates.Add(new FitCandidate(gpu, tp, regions, fit, price * tp));
            }
        }

        return candidates
            .OrderBy(c => c.GpusPerReplica)
            .ThenBy(c => c.PricePerReplicaHourUsd ?? decimal.MaxValue)
            .ThenBy(c => c.Gpu.MemoryMiB)
            .ToList();
    }

    /// <summary>The smallest configuration that fits, or null when none does in the allowed regions.</summary>
    public static FitCandidate? FindSmallest(
        string modelName,
        ModelArchitecture model,
        RuntimeSettings runtime,
        ModelCatalog catalog,
        IReadOnlyCollection<string>? allowedRegions = null,
        GpuPricing? pricing = null) =>
        FindAll(modelName, model, runtime, catalog, allowedRegions, pricing).FirstOrDefault();
}
