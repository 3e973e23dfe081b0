namespace Portal.Core.Scaling;

/// <summary>GPUs held back in one region for burst replicas of one GPU type.</summary>
public sealed record BurstPool
{
    public required string Region { get; init; }

    public required string GpuType { get; init; }

    public int Gpus { get; init; }
}

/// <summary>The burst pools, bound from configuration (section <c>Burst:Pools</c>), shared by every tenant's deployments.</summary>
public sealed class BurstPoolOptions
{
    public const string SectionName = "Burst";

    public List<BurstPool> Pools { get; set; } = [];

    /// <summary>GPUs of a GPU type the pools hold in a region (several entries for one pair add up).</summary>
    public int GpusIn(string region, string gpuType) => Pools
        .Where(p => string.Equals(p.Region, region, StringComparison.OrdinalIgnoreCase) && string.Equals(p.GpuType, gpuType, StringComparison.OrdinalIgnoreCase))
        .Sum(p => Math.Max(0, p.Gpus));

    /// <summary>
    /// Whether one more burst replica of <paramref name="gpusPerReplica"/> GPUs fits in a region's pool, given the GPUs
    /// burst replicas already hold there. A replica takes a whole GPU set, never a share of one (single tenant).
    /// </summary>
    public bool HasRoom(string region, string gpuType, int gpusPerReplica, int gpusInUse) =>
        gpusPerReplica > 0 && gpusInUse + gpusPerReplica <= GpusIn(region, gpuType);
}
