namespace Portal.Core.Catalog;

/// <summary>An accelerator type. Prices are not here: they live in the host's configuration (<c>GpuPricing</c>).</summary>
public sealed record GpuType
{
    /// <summary>Stable id, e.g. <c>h100-80gb</c>.</summary>
    public required string Id { get; init; }

    public required string DisplayName { get; init; }

    /// <summary>Memory the device reports to CUDA, in MiB (nvidia-smi's unit): what an engine's utilisation multiplies.</summary>
    public required long MemoryMiB { get; init; }

    /// <summary>The size in the product name (80 for "H100 80GB"); for display only.</summary>
    public required int MarketedMemoryGB { get; init; }

    public required string MemoryType { get; init; }

    public required double MemoryBandwidthTBps { get; init; }

    /// <summary>Dense (not sparse) BF16 tensor throughput from the vendor's data sheet: what prefill is bound by.</summary>
    public required double DenseBf16Tflops { get; init; }

    /// <summary>"Hopper" or "Blackwell"; some kernels (CUTLASS MLA) exist only on Blackwell.</summary>
    public required string Architecture { get; init; }

    public required bool SupportsFp8 { get; init; }

    public required bool SupportsFp4 { get; init; }

    /// <summary>Value of the <c>nvidia.com/gpu.product</c> node label that GPU feature discovery sets.</summary>
    public required string KubernetesProduct { get; init; }

    public long MemoryBytes => MemoryMiB * 1024 * 1024;

    public bool IsBlackwell => string.Equals(Architecture, "Blackwell", StringComparison.OrdinalIgnoreCase);
}
