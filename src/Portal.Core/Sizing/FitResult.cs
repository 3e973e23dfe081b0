namespace Portal.Core.Sizing;

/// <summary>What a refusal is about, so a form can put it beside the right field.</summary>
public enum FitProblemKind
{
    /// <summary>GPUs per replica is not 1, 2, 4 or 8, or does not divide the attention heads.</summary>
    TensorParallelSize,

    /// <summary>The weights' precision (FP8, FP4) is not supported by the GPU.</summary>
    WeightPrecision,

    /// <summary>The KV cache's precision is not supported by the GPU.</summary>
    KvCachePrecision,

    /// <summary>Weights, KV cache and reserve need more memory than the replica's GPUs offer.</summary>
    Memory,
}

public sealed record FitProblem(FitProblemKind Kind, string Message);

/// <summary>
/// The outcome of the fit rule with every number. Byte counts are exact; the <c>…GiB</c> properties divide by 2³⁰.
/// </summary>
public sealed record FitResult
{
    public required long WeightBytes { get; init; }

    public required long KvBytesPerToken { get; init; }

    /// <summary>KV bytes per token × max context × max concurrent sequences.</summary>
    public required long KvCacheBytes { get; init; }

    /// <summary>The fixed activation reserve × GPUs per replica.</summary>
    public required long ReserveBytes { get; init; }

    public long NeededBytes => WeightBytes + KvCacheBytes + ReserveBytes;

    /// <summary>GPUs per replica × GPU memory × memory utilisation.</summary>
    public required long AvailableBytes { get; init; }

    public required IReadOnlyList<FitProblem> Problems { get; init; }

    public bool Fits => Problems.Count == 0;

    public double WeightsGiB => Bytes.ToGiB(WeightBytes);

    public double KvCacheGiB => Bytes.ToGiB(KvCacheBytes);

    public double ReserveGiB => Bytes.ToGiB(ReserveBytes);

    public double NeededGiB => Bytes.ToGiB(NeededBytes);

    public double AvailableGiB => Bytes.ToGiB(AvailableBytes);

    /// <summary>Room left (negative when short), in GiB.</summary>
    public double HeadroomGiB => AvailableGiB - NeededGiB;
}
