using Portal.Core.Catalog;
using Portal.Core.Residency;

namespace Portal.Core.Scaling;

/// <summary>
/// The burst pools as one deployment sees them: its home region, the regions its lock allows, and the GPUs of its GPU
/// type that burst replicas (of every tenant) already hold per region. Where a burst replica goes: the home region's
/// pool first, then the next-closest allowed region with a whole GPU set free.
/// </summary>
public sealed record BurstCapacity
{
    public required Region Home { get; init; }

    /// <summary>The effective region lock; null allows every region.</summary>
    public IReadOnlySet<string>? Allowed { get; init; }

    public required BurstPoolOptions Pools { get; init; }

    public required string GpuType { get; init; }

    public required int GpusPerReplica { get; init; }

    public IReadOnlyDictionary<string, int> GpusInUse { get; init; } = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);

    /// <returns>The region for one more burst replica, or null when no allowed region's pool has room.</returns>
    public string? Choose() =>
        RegionPlacement.Choose(Home, Allowed, region => Pools.HasRoom(region, GpuType, GpusPerReplica, GpusInUse.GetValueOrDefault(region)));

    /// <summary>The capacity left once a burst replica holds its GPU set in <paramref name="region"/>.</summary>
    public BurstCapacity Take(string region)
    {
        var inUse = new Dictionary<string, int>(GpusInUse, StringComparer.OrdinalIgnoreCase);
        inUse[region] = inUse.GetValueOrDefault(region) + GpusPerReplica;
        return this with { GpusInUse = inUse };
    }
}
