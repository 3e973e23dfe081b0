namespace Portal.Core.Catalog;

/// <summary>A legal area that residency rules are written in.</summary>
public enum Jurisdiction
{
    US,
    EU,
    JP,
    SG,
    TW,
}

/// <summary>A data-centre location.</summary>
public sealed record Region
{
    /// <summary>Stable id, e.g. <c>eu-frankfurt</c>; also the <c>topology.kubernetes.io/region</c> label value.</summary>
    public required string Id { get; init; }

    public required string DisplayName { get; init; }

    public required Jurisdiction Jurisdiction { get; init; }

    public double Latitude { get; init; }

    public double Longitude { get; init; }

    /// <summary>Ids of the GPU types this region offers.</summary>
    public required IReadOnlyList<string> GpuTypes { get; init; }

    /// <summary>Every other region's id, nearest first (great-circle distance).</summary>
    public required IReadOnlyList<string> Nearest { get; init; }

    public bool Offers(string gpuTypeId) => GpuTypes.Contains(gpuTypeId, StringComparer.OrdinalIgnoreCase);
}
